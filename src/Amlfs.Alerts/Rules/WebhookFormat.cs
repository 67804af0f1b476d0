namespace Amlfs.Alerts.Rules;

/// <summary>The body a webhook posts: the alert as JSON, or a Slack-compatible message (<c>text</c> and <c>blocks</c>).</summary>
public enum WebhookFormat
{
    Json,
    Slack,
}
