using System.Buffers;
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
    /// Reads a message value back into a validated <see cref="Transaction"/> with <see cref="TransactionJsonReader"/>,
    /// the reader the HTTP API uses. Returns every problem, each naming its snake_case field (<c>message</c> when the
    /// value is not a JSON object at all); <paramref name="transaction"/> is set exactly when the list is empty. Unlike
    /// the HTTP API, a missing timestamp is an error: a message on a topic has no receive time to stand in for it.
    /// Unknown fields are ignored, so producers may add fields.
    /// </summary>
    public static IReadOnlyList<FieldError> Parse(ReadOnlySpan<byte> value, out Transaction? transaction) =>
        TransactionJsonReader.Parse(value, out transaction);
}
