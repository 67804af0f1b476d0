namespace Amlfs.Alerts.Rules;

/// <summary>How a channel delivers: an HTTP webhook or e-mail over SMTP.</summary>
public enum AlertChannelType
{
    Webhook,
    Email,
}
