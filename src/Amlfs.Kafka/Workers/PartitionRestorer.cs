using Amlfs.Checkpoints;
using Amlfs.Engine;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Amlfs.Kafka.Workers;

/// <summary>
/// Builds the engine of a partition a worker is given, reporting its rejections to the worker's sink: restored from
/// the partition's latest checkpoint, with the offset to resume from; or empty, to read the partition from its start, when there is no checkpoint or one written
/// for other definitions or engine settings, or a corrupt one (both logged).
/// </summary>
internal sealed partial class PartitionRestorer(
    IPartitionCheckpointStore checkpoints, string group, FeaturePlan plan, EngineOptions engineOptions, IRejectionSink rejections, TimeProvider clock, ILogger logger)
{
    /// <summary>The engine of <paramref name="topicPartition"/>, keeping what <paramref name="role"/> hosts, and the offset to resume from (null: the start).</summary>
    public (FeatureEngine Engine, long? NextOffset) Restore(TopicPartition topicPartition, TopicRole role)
    {
        var options = role.PartitionOptions(engineOptions);
        var engine = new FeatureEngine(plan, options, clock, rejections);
        var checkpoint = Load(topicPartition);
        if (checkpoint is null)
            return (engine, null);
        try
        {
            if (engine.TryRestoreSnapshot(new MemoryStream(checkpoint.State, writable: false)))
            {
                LogRestored(logger, topicPartition.ToString(), checkpoint.NextOffset, checkpoint.State.Length);
                return (engine, checkpoint.NextOffset);
            }

            LogCheckpointOtherLayout(logger, topicPartition.ToString());
        }
        catch (InvalidDataException e)
        {
            LogCheckpointCorrupt(logger, topicPartition.ToString(), e.Message);
            engine.Dispose();
            engine = new FeatureEngine(plan, options, clock, rejections);
        }

        return (engine, null);
    }

    /// <summary>
    /// The partition's checkpoint, waiting for the store while it is unavailable: reading the partition from the start
    /// instead would be correct only while the topic still holds every message, so the worker waits rather than guess,
    /// and stops after a minute.
    /// </summary>
    private PartitionCheckpoint? Load(TopicPartition topicPartition) => StoreWait.Retry(
        () => checkpoints.LoadAsync(group, topicPartition.Topic, topicPartition.Partition.Value).GetAwaiter().GetResult(),
        clock,
        $"the checkpoint of {topicPartition} could not be read from {checkpoints.Location}",
        reason => LogCheckpointReadFailed(logger, topicPartition.ToString(), reason));
}
