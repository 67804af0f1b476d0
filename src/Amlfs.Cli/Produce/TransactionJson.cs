using System.Buffers;
using System.Text.Json;
using Amlfs.Transactions;

namespace Amlfs.Cli.Produce;

/// <summary>
/// Writes transactions in the server's snake_case JSON: the body of <c>POST /transactions</c> (one array) and of
/// <c>POST /predict</c> (one object). Missing optional fields are left out rather than sent as null.
/// </summary>
internal static class TransactionJson
{
    /// <summary>An array of transactions, each with its timestamp.</summary>
    public static byte[] Batch(IEnumerable<Transaction> transactions)
    {
        var buffer = new ArrayBufferWriter<byte>(4_096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var transaction in transactions)
                Write(writer, transaction, includeTimestamp: true);
            writer.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// One transaction. Without its timestamp the server stamps the time it received it, which is what a load test
    /// replaying the same bodies for minutes needs.
    /// </summary>
    public static byte[] Single(Transaction transaction, bool includeTimestamp)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
            Write(writer, transaction, includeTimestamp);
        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(Utf8JsonWriter writer, Transaction transaction, bool includeTimestamp) =>
        TransactionJsonWriter.Write(writer, transaction, includeTimestamp);
}
