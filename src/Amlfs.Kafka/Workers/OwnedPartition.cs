using Amlfs.Engine;
using Confluent.Kafka;

namespace Amlfs.Kafka.Workers;

/// <summary>
/// One partition a worker owns: its own engine (one shard, applied on the worker's thread), the offset of the next
/// message to apply, and the entities changed since their states were last written to the online store.
/// </summary>
internal sealed class OwnedPartition(TopicPartition partition, TopicRole role, FeatureEngine engine, long nextOffset) : IDisposable
{
    public TopicPartition Partition { get; } = partition;

    public TopicRole Role { get; } = role;

    public FeatureEngine Engine { get; } = engine;

    /// <summary>The offset of the first message the engine does not hold.</summary>
    public long NextOffset { get; set; } = nextOffset;

    /// <summary>The offset the latest saved checkpoint resumes from; equal to <see cref="NextOffset"/> when nothing is new.</summary>
    public long CheckpointedOffset { get; set; } = nextOffset;

    /// <summary>Entities (index into the plan, id) whose state changed and is not yet in the online store.</summary>
    public HashSet<(int Entity, string Id)> Changed { get; } = [];

    public void Dispose() => Engine.Dispose();
}
