namespace Amlfs.Engine;

/// <summary>Two partial tile logs of one entity as one.</summary>
internal sealed partial class TileLog
{
    /// <summary>
    /// The tiles of one family from two partial logs of an entity that counted disjoint events
    /// (<see cref="EntityState.Merge"/>), in start order; a tile both hold is the exact merge of the two
    /// (<see cref="WindowAggregate.Merge"/>). Null when neither part has the family's log; neither part is changed.
    /// </summary>
    public static TileLog? Merge(TileLog? a, TileLog? b, EntityArrays arrays)
    {
        if (a is null && b is null)
            return null;
        a ??= new TileLog(arrays, 0);
        b ??= new TileLog(arrays, 0);
        var merged = new TileLog(arrays, Math.Max(InitialCapacity, a.Count + b.Count));
        int i = a.First, j = b.First, endA = a.First + a.Count, endB = b.First + b.Count, at = 0;
        while (i < endA || j < endB)
        {
            var start = j == endB || (i < endA && a.Starts[i] <= b.Starts[j]) ? a.Starts[i] : b.Starts[j];
            var tile = default(WindowAggregate);
            if (i < endA && a.Starts[i] == start)
                tile.Merge(a.Tiles[i++]);
            if (j < endB && b.Starts[j] == start)
                tile.Merge(b.Tiles[j++]);
            merged.Starts[at] = start;
            merged.Tiles[at++] = tile;
        }

        merged.Count = at;
        return merged;
    }
}
