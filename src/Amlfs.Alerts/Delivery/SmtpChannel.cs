using System.Security.Cryptography;
using System.Text;
using Amlfs.Alerts.Rules;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Amlfs.Alerts.Delivery;

/// <summary>
/// Mails each alert through an SMTP server (MailKit), one connection per attempt: subject <c>[LEVEL] rule: summary</c>,
/// a plain-text body of its fields. The Message-ID is derived from the dedupe key (and an <c>X-Amlfs-Dedupe-Key</c>
/// header carries it), so the repeat a crash between delivery and its record may cause is recognisable as the same
/// message. A refused login or a permanent (5xx) SMTP answer refuses the alert for good; anything else is retried.
/// </summary>
public sealed class SmtpChannel : IAlertChannel
{
    private readonly AlertChannelDefinition _definition;
    private readonly string? _password;

    /// <param name="definition">An e-mail channel.</param>
    /// <param name="password">The password to authenticate with, when the channel names a user.</param>
    public SmtpChannel(AlertChannelDefinition definition, string? password)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.Type != AlertChannelType.Email || definition.Host is null || definition.From is null || definition.To.Count == 0)
            throw new ArgumentException($"channel '{definition.Name}' is not an e-mail channel with a host, a sender and recipients", nameof(definition));
        _definition = definition;
        _password = password;
    }

    public string Name => _definition.Name;

    public async Task<DeliveryResult> SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        using var message = Message(alert);
        using var client = new SmtpClient { Timeout = (int)Math.Min(int.MaxValue, _definition.Timeout.TotalMilliseconds) };
        try
        {
            await client.ConnectAsync(_definition.Host!, _definition.Port, Security(_definition.Security), cancellationToken).ConfigureAwait(false);
            if (_definition.Username is { } user)
                await client.AuthenticateAsync(user, _password ?? "", cancellationToken).ConfigureAwait(false);
            await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
            await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
            return DeliveryResult.Success;
        }
        catch (AuthenticationException e)
        {
            return DeliveryResult.Refused("authentication failed: " + e.Message);
        }
        catch (SmtpCommandException e) when ((int)e.StatusCode >= 500)
        {
            return DeliveryResult.Refused($"SMTP {(int)e.StatusCode}: {e.Message}");
        }
        catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or ServiceNotConnectedException or IOException
            or System.Net.Sockets.SocketException or TimeoutException or SslHandshakeException)
        {
            return DeliveryResult.Retry(e.Message);
        }
    }

    private MimeMessage Message(Alert alert)
    {
        var message = new MimeMessage
        {
            Subject = AlertText.Title(alert),
            MessageId = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(alert.DedupeKey)))[..32] + "@amlfs.alerts",
            Body = new TextPart("plain") { Text = AlertText.Body(alert) },
        };
        message.From.Add(MailboxAddress.Parse(_definition.From!));
        foreach (var to in _definition.To)
            message.To.Add(MailboxAddress.Parse(to));
        message.Headers.Add("X-Amlfs-Dedupe-Key", alert.DedupeKey);
        return message;
    }

    private static SecureSocketOptions Security(EmailSecurity security) => security switch
    {
        EmailSecurity.None => SecureSocketOptions.None,
        EmailSecurity.StartTls => SecureSocketOptions.StartTls,
        EmailSecurity.Tls => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };
}
