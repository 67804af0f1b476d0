using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Amlfs.Server.Contracts;

/// <summary>
/// Reads ISO-8601 instants, taking a time without an offset as UTC (never as the server's local time), and writes
/// UTC instants with milliseconds.
/// </summary>
internal sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException("must be an ISO-8601 string such as 2026-03-10T14:05:00.000Z");
        var text = reader.GetString();
        if (!TryParse(text, out var value))
            throw new JsonException($"'{text}' is not an ISO-8601 instant such as 2026-03-10T14:05:00.000Z");
        return value;
    }

    /// <summary>Parses an instant the way request bodies and query strings give it: without an offset it is UTC.</summary>
    public static bool TryParse(string? text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
}
