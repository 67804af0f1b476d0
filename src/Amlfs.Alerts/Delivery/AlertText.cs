using System.Globalization;
using Amlfs.Alerts.Rules;

namespace Amlfs.Alerts.Delivery;

/// <summary>An alert in words, for a chat message or an e-mail: a title, and its fields as label and value.</summary>
internal static class AlertText
{
    public static string LevelName(AlertLevel level) => level switch
    {
        AlertLevel.Critical => "CRITICAL",
        AlertLevel.Warning => "WARNING",
        _ => "INFO",
    };

    /// <summary>The title line: <c>[LEVEL] rule: summary</c>.</summary>
    public static string Title(Alert alert) => $"[{LevelName(alert.Level)}] {alert.Rule}: {alert.Summary}";

    /// <summary>The alert's fields that have a value, in reading order.</summary>
    public static List<(string Label, string Value)> Fields(Alert alert)
    {
        var c = CultureInfo.InvariantCulture;
        var fields = new List<(string, string)> { ("Rule", alert.Rule), ("Level", alert.Level.ToString().ToLowerInvariant()), ("Subject", alert.Subject) };
        if (alert.Value is { } value)
            fields.Add(("Value", value.ToString("0.####", c)));
        if (alert.Threshold is { } threshold)
            fields.Add(("Threshold", threshold.ToString("0.####", c)));
        if (alert.TransactionId is { } transaction)
            fields.Add(("Transaction", transaction));
        if (alert.CustomerId is { } customer)
            fields.Add(("Customer", customer));
        if (alert.MerchantId is { } merchant)
            fields.Add(("Destination", merchant));
        if (alert.RiskLevel is { } risk)
            fields.Add(("Risk level", risk.ToString().ToUpperInvariant()));
        if (alert.Score is { } score)
            fields.Add(("Score", score.ToString("0.####", c)));
        if (alert.ModelVersion is { } model)
            fields.Add(("Model version", model));
        if (alert.Typology is { } typology)
            fields.Add(("Typology", typology));
        if (alert.Signals.Count > 0)
            fields.Add(("Signals", string.Join(", ", alert.Signals)));
        fields.Add(("Raised at", Time(alert.RaisedAtMs)));
        if (alert.EventTimeMs is { } eventTime)
            fields.Add(("Event time", Time(eventTime)));
        fields.Add(("Dedupe key", alert.DedupeKey));
        return fields;
    }

    /// <summary>A plain-text body: the title, a blank line, then one <c>Label: value</c> line per field.</summary>
    public static string Body(Alert alert)
    {
        var lines = new List<string> { Title(alert), "" };
        lines.AddRange(Fields(alert).Select(f => $"{f.Label}: {f.Value}"));
        return string.Join("\n", lines) + "\n";
    }

    public static string Time(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
