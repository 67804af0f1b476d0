using System.Text.Json;

namespace Amlfs.Alerts.Delivery;

/// <summary>
/// An alert as a Slack incoming-webhook message: <c>text</c> (the fallback every client shows, and all that a
/// Slack-compatible receiver without blocks reads) and <c>blocks</c>: a header, the summary, the fields, and a context
/// line with the dedupe key.
/// </summary>
internal static class SlackMessage
{
    private const int MaxFields = 10; // Slack's limit for a section's fields

    public static byte[] Render(Alert alert)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("text", AlertText.Title(alert));
            json.WriteStartArray("blocks");

            json.WriteStartObject();
            json.WriteString("type", "header");
            PlainText(json, "text", Truncate($"{AlertText.LevelName(alert.Level)} {alert.Rule}", 150));
            json.WriteEndObject();

            json.WriteStartObject();
            json.WriteString("type", "section");
            Markdown(json, "text", Escape(alert.Summary));
            json.WriteEndObject();

            json.WriteStartObject();
            json.WriteString("type", "section");
            json.WriteStartArray("fields");
            foreach (var (label, value) in AlertText.Fields(alert).Where(f => f.Label != "Dedupe key").Take(MaxFields))
            {
                json.WriteStartObject();
                json.WriteString("type", "mrkdwn");
                json.WriteString("text", $"*{label}*\n{Escape(value)}");
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();

            json.WriteStartObject();
            json.WriteString("type", "context");
            json.WriteStartArray("elements");
            json.WriteStartObject();
            json.WriteString("type", "mrkdwn");
            json.WriteString("text", $"dedupe key `{Escape(alert.DedupeKey)}` · alert {alert.Sequence}");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void PlainText(Utf8JsonWriter json, string property, string text)
    {
        json.WriteStartObject(property);
        json.WriteString("type", "plain_text");
        json.WriteString("text", text);
        json.WriteEndObject();
    }

    private static void Markdown(Utf8JsonWriter json, string property, string text)
    {
        json.WriteStartObject(property);
        json.WriteString("type", "mrkdwn");
        json.WriteString("text", text);
        json.WriteEndObject();
    }

    /// <summary>Slack's three control characters in mrkdwn text.</summary>
    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
