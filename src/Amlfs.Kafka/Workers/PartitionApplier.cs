using Amlfs.Engine;
using Amlfs.Transactions;
using Confluent.Kafka;

namespace Amlfs.Kafka.Workers;

/// <summary>
/// Applies the messages of the partitions a worker owns to their engines, in offset order: a message that is not a
/// valid transaction goes to the dead-letter topic; the engine reports the late and future ones to
/// <see cref="DeadLetterTopic"/> itself, as the embedded server's engine reports them to its dead-letter file; a
/// duplicate is counted; an accepted one marks the entities the partition keeps as changed and, on the source topic,
/// is re-keyed onto the topic of each other join key and, when the worker decides, waits for its decision.
/// </summary>
internal sealed class PartitionApplier(WorkerProducer producer, DeadLetterTopic deadLetters, WorkerCounters counters, WorkerDecisions? decisions)
{
    private readonly IngestStatus[] _status = new IngestStatus[1];
    private readonly long[] _sequence = new long[1];

    /// <summary>Applies <paramref name="result"/>, the message at <see cref="OwnedPartition.NextOffset"/> of <paramref name="partition"/>.</summary>
    public void Apply(OwnedPartition partition, ConsumeResult<byte[]?, byte[]> result)
    {
        counters.Consumed(partition.RoleIndex);
        var offset = result.Offset.Value;
        var value = result.Message.Value ?? [];
        var errors = TransactionMessage.Parse(value, out var transaction);
        if (errors.Count > 0)
        {
            deadLetters.Invalid(result, string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")));
        }
        else
        {
            // The engine numbers an entity's events by offset + 1, so a served vector names the offset it reflects.
            _sequence[0] = offset + 1;
            deadLetters.Applying = result;
            try
            {
                partition.Engine.IngestBatch(new ReadOnlySpan<Transaction>(ref transaction!), _status, _sequence);
            }
            finally
            {
                deadLetters.Applying = null;
            }

            if (_status[0] == IngestStatus.Accepted)
            {
                counters.Accepted(transaction.TimestampMs);
                partition.Role.AddChanged(transaction, partition.Changed);

                if (partition.Role.IsSource)
                {
                    counters.Rekeyed(producer.Rekey(transaction, value));
                    decisions?.Add(partition, transaction, offset);
                }
            }
            else if (_status[0] == IngestStatus.Duplicate)
            {
                counters.Duplicate();
            }
        }

        partition.NextOffset = offset + 1;
    }
}
