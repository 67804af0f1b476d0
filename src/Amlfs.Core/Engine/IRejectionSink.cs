using Amlfs.Transactions;

namespace Amlfs.Engine;

/// <summary>
/// Where the engine reports the transactions its admission rejects (late, future), so that nothing is silently dropped:
/// the embedded server's <see cref="DeadLetterFile"/>, a Kafka worker's dead-letter topic. Called on the engine's single
/// writer, during the ingest call that rejected the transaction.
/// </summary>
public interface IRejectionSink
{
    /// <summary>
    /// <paramref name="transaction"/> was rejected for <paramref name="reason"/>; <paramref name="detail"/> states the
    /// rule in words with the times that decided it, e.g. <c>event time ... is more than 5m before the watermark ...</c>.
    /// </summary>
    void Rejected(Transaction transaction, IngestStatus reason, string detail);
}
