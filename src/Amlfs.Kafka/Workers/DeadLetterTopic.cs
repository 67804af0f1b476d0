using Amlfs.Engine;
using Amlfs.Transactions;
using Confluent.Kafka;

namespace Amlfs.Kafka.Workers;

/// <summary>
/// A worker's rejection path: every engine the worker restores reports its rejections (late, future) here, and the
/// message being applied goes to the dead-letter topic with <see cref="KafkaWorker.ReasonHeader"/> (the status's
/// <see cref="IngestStatusNames.WireName"/>), <see cref="KafkaWorker.DetailHeader"/> and
/// <see cref="KafkaWorker.SourceHeader"/>. Messages that are not a valid transaction come through
/// <see cref="Invalid"/> to the same producer method. The embedded server's counterpart is <see cref="DeadLetterFile"/>.
/// Single-threaded, as the engines it serves.
/// </summary>
internal sealed class DeadLetterTopic(WorkerProducer producer, WorkerCounters counters) : IRejectionSink
{
    /// <summary>The message being applied, which a rejection copies to the dead-letter topic; null between messages.</summary>
    public ConsumeResult<byte[]?, byte[]>? Applying { get; set; }

    /// <inheritdoc />
    public void Rejected(Transaction transaction, IngestStatus reason, string detail)
    {
        var message = Applying ?? throw new InvalidOperationException($"transaction '{transaction.TransactionId}' was rejected outside the message being applied");
        switch (reason)
        {
            case IngestStatus.Late:
                counters.Late();
                break;
            case IngestStatus.FutureTimestamp:
                counters.Future();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(reason), reason, "the engine rejects only late and future transactions");
        }

        producer.DeadLetter(message, reason, detail);
    }

    /// <summary>Dead-letters <paramref name="message"/>, which is not a valid transaction: <paramref name="detail"/> names each field at fault.</summary>
    public void Invalid(ConsumeResult<byte[]?, byte[]> message, string detail)
    {
        counters.Malformed();
        producer.DeadLetter(message, IngestStatus.Invalid, detail);
    }
}
