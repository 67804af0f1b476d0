namespace Amlfs.Alerts.Rules;

/// <summary>
/// One delivery channel of an alerts file: a webhook (<see cref="Url"/>, <see cref="Format"/>) or an e-mail relay
/// (<see cref="Host"/> to <see cref="To"/>), with its timeout and retries. Secrets are never in the file: an SMTP
/// password is read from the environment variable <see cref="PasswordVariable"/> names.
/// </summary>
public sealed record AlertChannelDefinition
{
    public required string Name { get; init; }

    public required AlertChannelType Type { get; init; }

    /// <summary>Webhook: the http or https address posted to.</summary>
    public Uri? Url { get; init; }

    /// <summary>Webhook: the body's form.</summary>
    public WebhookFormat Format { get; init; } = WebhookFormat.Json;

    /// <summary>E-mail: the SMTP server's host name.</summary>
    public string? Host { get; init; }

    /// <summary>E-mail: the SMTP server's port.</summary>
    public int Port { get; init; } = 25;

    public EmailSecurity Security { get; init; } = EmailSecurity.Auto;

    /// <summary>E-mail: the sender's address.</summary>
    public string? From { get; init; }

    /// <summary>E-mail: the recipients' addresses.</summary>
    public IReadOnlyList<string> To { get; init; } = [];

    /// <summary>E-mail: the user name to authenticate with; null: no authentication.</summary>
    public string? Username { get; init; }

    /// <summary>E-mail: the environment variable that holds the password.</summary>
    public string? PasswordVariable { get; init; }

    /// <summary>How long one attempt may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    public RetryPolicy Retry { get; init; } = new();

    /// <summary>The channel's line in its file (0 when built in code).</summary>
    public int Line { get; init; }
}
