using Amlfs.Engine;
using Amlfs.OnlineStore;
using Confluent.Kafka;

namespace Amlfs.Kafka.Workers;

/// <summary>
/// One partition a worker owns: its own engine (one shard, applied on the worker's thread), the offset of the next
/// message to apply, the entities changed since their states were last written to the online store, and what those
/// writes carry to be fenced (<see cref="StatePosition"/>): the partition's log identity and the epoch the worker took
/// when it was given the partition.
/// </summary>
internal sealed class OwnedPartition(TopicPartition partition, TopicRole role, int roleIndex, FeatureEngine engine, long nextOffset, long epoch) : IDisposable
{
    public TopicPartition Partition { get; } = partition;

    public TopicRole Role { get; } = role;

    /// <summary>The index of <see cref="Role"/> in <see cref="WorkerTopics.Roles"/>, for the per-topic counts.</summary>
    public int RoleIndex { get; } = roleIndex;

    public FeatureEngine Engine { get; } = engine;

    /// <summary>The offset of the first message the engine does not hold.</summary>
    public long NextOffset { get; set; } = nextOffset;

    /// <summary>The offset the latest saved checkpoint resumes from; equal to <see cref="NextOffset"/> when nothing is new.</summary>
    public long CheckpointedOffset { get; set; } = nextOffset;

    /// <summary>Entities (index into the plan, id) whose state changed and is not yet in the online store.</summary>
    public HashSet<(int Entity, string Id)> Changed { get; } = [];

    /// <summary>The identity of the partition's log, whose offsets (plus one) number its entities' events.</summary>
    public ulong Log { get; } = StatePosition.LogOf($"{partition.Topic}/{partition.Partition.Value}");

    /// <summary>This worker's ownership epoch of the partition, from the online store when it was assigned.</summary>
    public long Epoch { get; } = epoch;

    /// <summary>The position of an entity state of this partition whose newest event has <paramref name="sequence"/>.</summary>
    public StatePosition PositionOf(long sequence) => new(Log, Epoch, sequence);

    public void Dispose() => Engine.Dispose();
}
