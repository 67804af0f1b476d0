using Amlfs.Alerts.Rules;

namespace Amlfs.Alerts.Delivery;

/// <summary>Builds the channels an alerts file declares.</summary>
public static class AlertChannels
{
    /// <summary>
    /// One channel per definition of <paramref name="rules"/>, by name: webhooks post through <paramref name="http"/>;
    /// e-mail channels read their password from the environment variable they name, now, so a missing secret stops
    /// the start rather than every delivery.
    /// </summary>
    /// <param name="rules">The alerts file.</param>
    /// <param name="http">The client webhooks post with (the host's, so it can configure proxies and handlers).</param>
    /// <param name="time">The clock of attempts' timeouts.</param>
    /// <param name="environment">Reads an environment variable; null for the process's environment.</param>
    /// <exception cref="InvalidOperationException">An e-mail channel's password variable is not set.</exception>
    public static IReadOnlyDictionary<string, IAlertChannel> Create(
        AlertRuleSet rules, HttpClient http, TimeProvider time, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        environment ??= Environment.GetEnvironmentVariable;
        var channels = new Dictionary<string, IAlertChannel>(StringComparer.Ordinal);
        foreach (var definition in rules.Channels)
        {
            channels[definition.Name] = definition.Type switch
            {
                AlertChannelType.Webhook => new WebhookChannel(definition, http, time),
                _ => new SmtpChannel(definition, Password(definition, environment)),
            };
        }

        return channels;
    }

    private static string? Password(AlertChannelDefinition definition, Func<string, string?> environment)
    {
        if (definition.PasswordVariable is not { } variable)
            return null;
        return environment(variable) ?? throw new InvalidOperationException(
            $"alert channel '{definition.Name}' reads its SMTP password from the environment variable {variable}, which is not set");
    }
}
