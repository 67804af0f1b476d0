using System.Text.Json;

namespace Amlfs.Transactions;

/// <summary>
/// Writes a transaction in the wire form every producer speaks: the snake_case JSON object of <c>POST /transactions</c>
/// and of a Kafka message. The amount is a JSON number in currency units, the timestamp an ISO-8601 UTC instant with
/// milliseconds; missing optional fields are left out rather than written as null.
/// </summary>
public static class TransactionJsonWriter
{
    /// <summary>Writes one transaction as a JSON object; without its timestamp the receiver stamps its own time.</summary>
    public static void Write(Utf8JsonWriter writer, Transaction transaction, bool includeTimestamp = true)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(transaction);
        writer.WriteStartObject();
        writer.WriteString("transaction_id", transaction.TransactionId);
        writer.WriteString("customer_id", transaction.CustomerId);
        writer.WriteString("merchant_id", transaction.MerchantId);
        writer.WriteNumber("amount", transaction.Amount);
        writer.WriteString("currency", transaction.Currency);
        if (includeTimestamp)
            writer.WriteString("timestamp", TransactionTimestamps.Format(transaction.TimestampMs));
        WriteOptional(writer, "ip_address", transaction.IpAddress);
        WriteOptional(writer, "channel", transaction.Channel);
        WriteOptional(writer, "device_id", transaction.DeviceId);
        WriteOptional(writer, "country", transaction.Country);
        WriteOptional(writer, "payment_format", transaction.PaymentFormat);
        if (transaction.DestinationType != DestinationType.Merchant)
            writer.WriteString("destination_type", DestinationTypes.Name(transaction.DestinationType));
        writer.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
            writer.WriteString(name, value);
    }
}
