using System.Text.Json;

namespace Amlfs.Transactions;

/// <summary>
/// The one reader of a transaction's wire form, the snake_case JSON object that <see cref="TransactionJsonWriter"/>
/// writes: the HTTP API reads request bodies with it and Kafka workers read messages with it. It reads a whole object
/// and reports every field of the wrong type at once, each under its snake_case name; a field given as null reads as
/// missing; unknown fields are skipped, so producers may add fields. What the fields mean (required, ranges, formats)
/// is <see cref="TransactionValidator"/>'s to say.
/// </summary>
public static class TransactionJsonReader
{
    /// <summary>Reads a property the caller knows beyond the transaction's own (for example <c>record</c> of /predict).</summary>
    /// <param name="name">The property's name.</param>
    /// <param name="reader">Positioned on the property's value; the handler must consume the whole value.</param>
    /// <param name="errors">Where to report a value of the wrong type, under the property's name.</param>
    /// <returns>Whether the handler knew the property; an unknown one is skipped.</returns>
    public delegate bool ExtraProperty(string name, ref Utf8JsonReader reader, List<FieldError> errors);

    /// <summary>
    /// Reads one transaction object. <paramref name="reader"/> is positioned on its <c>{</c> (or on null or another
    /// value, which is reported as <c>body</c> not being an object) and ends on its last token. Problems of type go to
    /// <paramref name="errors"/>; malformed JSON throws <see cref="JsonException"/>.
    /// </summary>
    public static TransactionInput Read(ref Utf8JsonReader reader, List<FieldError> errors, ExtraProperty? extra = null)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (reader.TokenType == JsonTokenType.None && !reader.Read())
            throw new JsonException("the JSON is empty");
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            errors.Add(new("body", $"must be a transaction object, got {Describe(reader.TokenType)}"));
            reader.Skip();
            return new TransactionInput();
        }

        string? transactionId = null, customerId = null, merchantId = null, currency = null, ipAddress = null;
        string? channel = null, deviceId = null, country = null, paymentFormat = null, destinationType = null;
        decimal? amount = null;
        DateTimeOffset? timestamp = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            reader.Read();
            switch (name)
            {
                case "transaction_id": transactionId = ReadString(ref reader, name, errors); break;
                case "customer_id": customerId = ReadString(ref reader, name, errors); break;
                case "merchant_id": merchantId = ReadString(ref reader, name, errors); break;
                case "amount": amount = ReadAmount(ref reader, errors); break;
                case "currency": currency = ReadString(ref reader, name, errors); break;
                case "timestamp": timestamp = ReadTimestamp(ref reader, errors); break;
                case "ip_address": ipAddress = ReadString(ref reader, name, errors); break;
                case "channel": channel = ReadString(ref reader, name, errors); break;
                case "device_id": deviceId = ReadString(ref reader, name, errors); break;
                case "country": country = ReadString(ref reader, name, errors); break;
                case "payment_format": paymentFormat = ReadString(ref reader, name, errors); break;
                case "destination_type": destinationType = ReadString(ref reader, name, errors); break;
                default:
                    if (extra is null || !extra(name, ref reader, errors))
                        reader.Skip();
                    break;
            }
        }

        return new TransactionInput
        {
            TransactionId = transactionId,
            CustomerId = customerId,
            MerchantId = merchantId,
            Amount = amount,
            Currency = currency,
            Timestamp = timestamp,
            IpAddress = ipAddress,
            Channel = channel,
            DeviceId = deviceId,
            Country = country,
            PaymentFormat = paymentFormat,
            DestinationType = destinationType,
        };
    }

    /// <summary>
    /// Reads and validates a transaction from a whole UTF-8 JSON value (one Kafka message). Returns every problem, each
    /// naming its snake_case field (<c>message</c> when the value is not JSON at all); <paramref name="transaction"/> is
    /// set exactly when the list is empty. Without <paramref name="timestampWhenMissing"/> a missing timestamp is an
    /// error: a message on a topic has no receive time to stand in for it.
    /// </summary>
    public static IReadOnlyList<FieldError> Parse(ReadOnlySpan<byte> json, out Transaction? transaction, DateTimeOffset? timestampWhenMissing = null)
    {
        transaction = null;
        var errors = new List<FieldError>();
        TransactionInput input;
        if (json.Trim(" \t\r\n"u8).IsEmpty)
            return [new("message", "is empty")];
        try
        {
            var reader = new Utf8JsonReader(json);
            reader.Read();
            input = Read(ref reader, errors);
            reader.Read(); // throws on anything but whitespace after the value
        }
        catch (JsonException e)
        {
            return [new("message", $"is not valid JSON: {e.Message}")];
        }

        if (errors is [{ Field: "body" } notObject])
            return [notObject with { Field = "message" }];
        return Validate(input, errors, out transaction, timestampWhenMissing);
    }

    /// <summary>
    /// Validates what <see cref="Read"/> gave, adding the validator's problems to the reader's. A field of the wrong
    /// type reads as missing, and the validator would then say "is required" of it too, so its errors are kept only
    /// for fields that read well; a value that was not an object at all has that one error.
    /// </summary>
    public static IReadOnlyList<FieldError> Validate(
        TransactionInput input, List<FieldError> readErrors, out Transaction? transaction, DateTimeOffset? timestampWhenMissing = null)
    {
        ArgumentNullException.ThrowIfNull(readErrors);
        transaction = null;
        if (readErrors.Exists(e => e.Field == "body"))
            return readErrors;
        var validation = TransactionValidator.Validate(input, out var valid, timestampWhenMissing);
        var badFields = readErrors.Select(e => e.Field).ToHashSet(StringComparer.Ordinal);
        var errors = new List<FieldError>(readErrors);
        errors.AddRange(validation.Where(e => !badFields.Contains(e.Field)));
        transaction = errors.Count == 0 ? valid : null;
        return errors;
    }

    private static string? ReadString(ref Utf8JsonReader reader, string field, List<FieldError> errors)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return reader.GetString();
            default:
                errors.Add(new(field, $"must be a string, got {Describe(reader.TokenType)}"));
                reader.Skip();
                return null;
        }
    }

    private static decimal? ReadAmount(ref Utf8JsonReader reader, List<FieldError> errors)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number when reader.TryGetDecimal(out var amount):
                return amount;
            case JsonTokenType.Number:
                errors.Add(new("amount", $"must be a decimal number, got {System.Text.Encoding.UTF8.GetString(reader.ValueSpan)}"));
                return null;
            default:
                errors.Add(new("amount", $"must be a number, got {Describe(reader.TokenType)}"));
                reader.Skip();
                return null;
        }
    }

    private static DateTimeOffset? ReadTimestamp(ref Utf8JsonReader reader, List<FieldError> errors)
    {
        var text = ReadString(ref reader, "timestamp", errors);
        if (text is null)
            return null;
        if (TransactionTimestamps.TryParse(text, out var timestamp))
            return timestamp;
        errors.Add(new("timestamp", TransactionTimestamps.Problem(text)));
        return null;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        _ => "null",
    };
}
