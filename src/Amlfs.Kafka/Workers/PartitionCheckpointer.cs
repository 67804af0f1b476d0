using Amlfs.Checkpoints;
using Amlfs.OnlineStore;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Amlfs.Kafka.Workers;

/// <summary>
/// Saves a partition's state with its offset, in the one order that loses nothing: first everything the state's
/// messages caused is made durable (changed entity states in the online store, the accepted transactions decided, and
/// re-keyed, dead-lettered and decision messages acknowledged by Kafka), then the engine snapshot is saved with the offset after it, and only then is that offset
/// stored for the consumer's background commit. A worker that takes the partition over resumes from the checkpoint and
/// never depends on a side effect its predecessor had not finished.
/// </summary>
internal sealed partial class PartitionCheckpointer(
    IPartitionCheckpointStore checkpoints, string group, OnlineStateWriter states, WorkerDecisions? decisions, WorkerProducer producer, WorkerCounters counters,
    ILogger logger)
{
    /// <summary>
    /// Checkpoints <paramref name="partition"/> unless nothing is new since its last checkpoint, writing the changed
    /// states of <paramref name="owned"/> (every partition the worker owns, <paramref name="partition"/> included) first. Returns false (the previous checkpoint stands) while the online store
    /// or the checkpoint store is unavailable; throws <see cref="WorkerFailedException"/> when Kafka did not take a
    /// re-keyed or dead-lettered message.
    /// </summary>
    public bool TryCheckpoint(OwnedPartition partition, IReadOnlyCollection<OwnedPartition> owned, IConsumer<byte[]?, byte[]> consumer)
    {
        if (partition.NextOffset == partition.CheckpointedOffset && partition.Changed.Count == 0)
            return true;
        if (!owned.Contains(partition))
            throw new ArgumentException($"{partition.Partition} is not among the owned partitions, whose states are written first", nameof(owned));
        if (!states.Write(owned, waitForStore: true))
            return false;
        if (decisions is not null && decisions.Waits(partition.Partition) && !decisions.TryDecide(now: true))
            return false;
        producer.Flush();
        using var snapshot = new MemoryStream();
        partition.Engine.WriteSnapshot(snapshot);
        var checkpoint = new PartitionCheckpoint(partition.Partition.Topic, partition.Partition.Partition.Value, partition.NextOffset, snapshot.ToArray());
        try
        {
            checkpoints.SaveAsync(group, checkpoint).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is OnlineStoreUnavailableException or IOException)
        {
            counters.CheckpointFailed();
            LogCheckpointFailed(logger, partition.Partition.ToString(), e.Message);
            return false;
        }

        partition.CheckpointedOffset = partition.NextOffset;
        counters.CheckpointSaved();
        try
        {
            // The checkpoint is what a new owner resumes from; the committed offset shows the group's progress (lag).
            consumer.StoreOffset(new TopicPartitionOffset(partition.Partition, partition.NextOffset));
        }
        catch (KafkaException e)
        {
            LogOffsetNotStored(logger, partition.Partition.ToString(), e.Error.Reason);
        }

        return true;
    }
}
