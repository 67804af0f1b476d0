using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Amlfs.Transactions;

namespace Amlfs.Kafka;

/// <summary>
/// The one format of a transaction on a Kafka topic: a UTF-8 JSON object with the snake_case fields the HTTP API
/// accepts, keyed by <c>customer_id</c> so that one customer's transactions stay in order within one partition.
/// Producers write it with <see cref="Serialize"/>; consumers read it back with <see cref="Parse"/>.
/// </summary>
public static class TransactionMessage
{
    /// <summary>The message key of <paramref name="transaction"/>: its customer.</summary>
    public static string Key(Transaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return transaction.CustomerId;
    }

    /// <summary>
    /// The message value of <paramref name="transaction"/>. The amount is a JSON number in currency units and the
    /// timestamp an ISO-8601 UTC instant with milliseconds; missing optional fields are left out rather than null.
    /// </summary>
    public static byte[] Serialize(Transaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var buffer = new ArrayBufferWriter<byte>(384);
        using (var writer = new Utf8JsonWriter(buffer))
            TransactionJsonWriter.Write(writer, transaction);

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads a message value back into a validated <see cref="Transaction"/>. Returns every problem, each naming its
    /// snake_case field (<c>message</c> when the value is not a JSON object at all); <paramref name="transaction"/>
    /// is set exactly when the list is empty. Unlike the HTTP API, a missing timestamp is an error: a message on a
    /// topic has no receive time to stand in for it. Unknown fields are ignored, so producers may add fields.
    /// </summary>
    public static IReadOnlyList<FieldError> Parse(ReadOnlySpan<byte> value, out Transaction? transaction)
    {
        transaction = null;
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(value);
            if (!JsonDocument.TryParseValue(ref reader, out var parsed))
                return [new("message", "is empty")];
            document = parsed;
        }
        catch (JsonException e)
        {
            return [new("message", $"is not valid JSON: {e.Message}")];
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return [new("message", $"must be a JSON object, got {Describe(document.RootElement.ValueKind)}")];

            var errors = new List<FieldError>();
            var root = document.RootElement;
            var input = new TransactionInput
            {
                TransactionId = ReadString(root, "transaction_id", errors),
                CustomerId = ReadString(root, "customer_id", errors),
                MerchantId = ReadString(root, "merchant_id", errors),
                Amount = ReadAmount(root, errors),
                Currency = ReadString(root, "currency", errors),
                Timestamp = ReadTimestamp(root, errors),
                IpAddress = ReadString(root, "ip_address", errors),
                Channel = ReadString(root, "channel", errors),
                DeviceId = ReadString(root, "device_id", errors),
                Country = ReadString(root, "country", errors),
                PaymentFormat = ReadString(root, "payment_format", errors),
            };

            // A field of the wrong type reads as missing; the validator would then add "is required" to the same
            // field, so its errors are kept only for fields that read well.
            var validation = TransactionValidator.Validate(input, out var valid);
            var badFields = errors.Select(e => e.Field).ToHashSet(StringComparer.Ordinal);
            errors.AddRange(validation.Where(e => !badFields.Contains(e.Field)));
            transaction = errors.Count == 0 ? valid : null;
            return errors;
        }
    }

    private static string? ReadString(JsonElement root, string field, List<FieldError> errors)
    {
        if (!root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == JsonValueKind.String)
            return value.GetString();
        errors.Add(new(field, $"must be a string, got {Describe(value.ValueKind)}"));
        return null;
    }

    private static decimal? ReadAmount(JsonElement root, List<FieldError> errors)
    {
        if (!root.TryGetProperty("amount", out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.Number)
            errors.Add(new("amount", $"must be a number, got {Describe(value.ValueKind)}"));
        else if (value.TryGetDecimal(out var amount))
            return amount;
        else
            errors.Add(new("amount", $"must be a decimal number, got {value.GetRawText()}"));
        return null;
    }

    private static DateTimeOffset? ReadTimestamp(JsonElement root, List<FieldError> errors)
    {
        var text = ReadString(root, "timestamp", errors);
        if (text is null)
            return null;
        // Without an offset the instant is read as UTC, as the HTTP API reads it.
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var timestamp))
            return timestamp;
        errors.Add(new("timestamp", $"must be an ISO-8601 instant such as 2026-01-31T12:00:00.000Z, got '{text}'"));
        return null;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
