using System.Text.Json;
using System.Text.Json.Serialization;
using Amlfs.Transactions;

namespace Amlfs.Server.Contracts;

/// <summary>
/// Reads instants by the one rule of <see cref="TransactionTimestamps"/> (ISO-8601; without an offset, UTC, never the
/// server's local time) and writes UTC instants with milliseconds.
/// </summary>
internal sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException("must be an ISO-8601 string such as 2026-03-10T14:05:00.000Z");
        var text = reader.GetString()!;
        if (!TransactionTimestamps.TryParse(text, out var value))
            throw new JsonException(TransactionTimestamps.Problem(text));
        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(TransactionTimestamps.Format(value.ToUnixTimeMilliseconds()));
}
