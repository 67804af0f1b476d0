using System.Globalization;
using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Transactions;
using Confluent.Kafka;

namespace Amlfs.Kafka.Workers;

/// <summary>
/// Applies the messages of the partitions a worker owns to their engines, in offset order: a malformed, late or future
/// message goes to the dead-letter topic with its reason; a duplicate is counted; an accepted one marks the entities the
/// partition keeps as changed and, on the source topic, is re-keyed onto the topic of each other join key.
/// </summary>
internal sealed class PartitionApplier(WorkerProducer producer, EngineOptions engineOptions, TimeProvider clock, WorkerCounters counters)
{
    private readonly IngestStatus[] _status = new IngestStatus[1];
    private readonly long[] _sequence = new long[1];

    /// <summary>Applies <paramref name="result"/>, the message at <see cref="OwnedPartition.NextOffset"/> of <paramref name="partition"/>.</summary>
    public void Apply(OwnedPartition partition, ConsumeResult<byte[]?, byte[]> result)
    {
        counters.Consumed();
        var offset = result.Offset.Value;
        var value = result.Message.Value ?? [];
        var errors = TransactionMessage.Parse(value, out var transaction);
        if (errors.Count > 0)
        {
            counters.Malformed();
            producer.DeadLetter(result, IngestStatus.Invalid.WireName(), string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")));
        }
        else
        {
            // The engine numbers an entity's events by offset + 1, so a served vector names the offset it reflects.
            _sequence[0] = offset + 1;
            partition.Engine.IngestBatch(new ReadOnlySpan<Transaction>(ref transaction!), _status, _sequence);
            switch (_status[0])
            {
                case IngestStatus.Accepted:
                    counters.Accepted();
                    foreach (var entity in partition.Role.Entities)
                    {
                        if (FeatureEngine.FieldOf(transaction, entity.JoinKey) is { } id)
                            partition.Changed.Add((entity.Index, id));
                    }

                    if (partition.Role.IsSource)
                        counters.Rekeyed(producer.Rekey(transaction, value));
                    break;
                case IngestStatus.Duplicate:
                    counters.Duplicate();
                    break;
                case IngestStatus.Late:
                    counters.Late();
                    producer.DeadLetter(result, IngestStatus.Late.WireName(), string.Create(CultureInfo.InvariantCulture,
                        $"event time {transaction.Timestamp:O} is more than {WindowRules.FormatDuration(engineOptions.AllowedLatenessMs)} before the partition's watermark {partition.Engine.Watermark:O}"));
                    break;
                default:
                    counters.Future();
                    producer.DeadLetter(result, IngestStatus.FutureTimestamp.WireName(), string.Create(CultureInfo.InvariantCulture,
                        $"event time {transaction.Timestamp:O} is more than {WindowRules.FormatDuration(engineOptions.MaxClockSkewMs)} after the worker's clock {clock.GetUtcNow():O}"));
                    break;
            }
        }

        partition.NextOffset = offset + 1;
    }
}
