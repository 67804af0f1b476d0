namespace Amlfs.Engine;

/// <summary>The array recyclers of one shard, one per element type an entity stores.</summary>
internal sealed class EntityArrays
{
    public ArrayRecycler<CompactEvent> Events { get; } = new();

    public ArrayRecycler<ulong> Fingerprints { get; } = new();

    public ArrayRecycler<long> TileStarts { get; } = new();

    public ArrayRecycler<WindowAggregate> Tiles { get; } = new();
}
