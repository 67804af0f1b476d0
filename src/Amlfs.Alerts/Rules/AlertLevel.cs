namespace Amlfs.Alerts.Rules;

/// <summary>How urgent an alert is, as its rule declares (<c>level:</c> info, warning or critical).</summary>
public enum AlertLevel
{
    Info,
    Warning,
    Critical,
}
