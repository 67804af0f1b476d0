using Amlfs.Registry;

namespace Amlfs.Engine;

/// <summary>
/// A span of stored events that one scan aggregates, with a filter. Exact windows start at <c>q - W</c>; the open tail
/// of a tiled window starts at <c>floor_hop(q)</c> (the whole tiles before it come from the tile log).
/// </summary>
internal sealed record RangeSlot(long WindowMs, long HopMs, FeatureFilter Filter)
{
    public long Start(long q) => HopMs > 0 ? FloorTo(q, HopMs) : q - WindowMs;

    public static long FloorTo(long t, long step) => t - (((t % step) + step) % step);
}
