namespace Amlfs.Alerts.Rules;

/// <summary>The entity of a decision that a per-entity rule counts by: the paying account or the destination.</summary>
public enum AlertEntity
{
    Customer,
    Merchant,
}
