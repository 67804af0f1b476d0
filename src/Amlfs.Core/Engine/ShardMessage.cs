using System.Runtime.CompilerServices;

namespace Amlfs.Engine;

/// <summary>One accepted event for one entity, as the admission gate hands it to the entity's shard.</summary>
internal struct ShardMessage
{
    public string EntityId;
    public ulong EntityHash;
    public int Entity;

    /// <summary>The event's log sequence: its position in the engine's acceptance order (see <see cref="FeatureEngine.LogSequence"/>).</summary>
    public long Sequence;
    public CompactEvent Event;
    public FingerprintBuffer Fingerprints;
}

/// <summary>Fingerprints of the distinct fields of one event, inline (at most <c>WindowRules.MaxDistinctFields</c>).</summary>
[InlineArray(Registry.WindowRules.MaxDistinctFields)]
internal struct FingerprintBuffer
{
    private ulong _element;
}
