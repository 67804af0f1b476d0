namespace Amlfs.Alerts.Rules;

/// <summary>
/// TLS on an SMTP connection: <c>auto</c> (TLS on port 465, STARTTLS when the server offers it elsewhere), <c>none</c>,
/// <c>starttls</c> (required) or <c>tls</c> (TLS from the first byte).
/// </summary>
public enum EmailSecurity
{
    Auto,
    None,
    StartTls,
    Tls,
}
