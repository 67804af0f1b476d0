namespace Amlfs.Engine;

/// <summary>
/// Time-ordered tiles of one <see cref="TileFamily"/> for one entity: only tiles that hold at least one event exist, so
/// a quiet entity costs nothing and a busy one at most (window / hop) tiles. Written by the owning shard only; read
/// under the entity's version check.
/// </summary>
internal sealed partial class TileLog
{
    private const int InitialCapacity = 2;
    private readonly EntityArrays _arrays;
    internal long[] Starts;
    internal WindowAggregate[] Tiles;
    internal int First;
    internal int Count;

    public TileLog(EntityArrays arrays)
        : this(arrays, InitialCapacity)
    {
    }

    private TileLog(EntityArrays arrays, int capacity)
    {
        _arrays = arrays;
        Starts = arrays.TileStarts.Rent(capacity);
        Tiles = arrays.Tiles.Rent(capacity);
    }

    /// <summary>Writes the capacity, the position of the live tiles and the live tiles only.</summary>
    public void WriteTo(SnapshotWriter writer)
    {
        writer.WriteCount(Starts.Length);
        writer.WriteCount(First);
        writer.WriteCount(Count);
        writer.WriteSpan<long>(Starts.AsSpan(First, Count));
        writer.WriteSpan<WindowAggregate>(Tiles.AsSpan(First, Count));
    }

    /// <summary>A log as <see cref="WriteTo"/> wrote it, with the same capacity and positions, arrays from the recyclers.</summary>
    public static TileLog ReadFrom(SnapshotReader reader, EntityArrays arrays)
    {
        var capacity = reader.ReadCount();
        var first = reader.ReadCount(capacity);
        var count = reader.ReadCount(capacity - first);
        var log = new TileLog(arrays, capacity) { First = first, Count = count };
        reader.ReadSpan(log.Starts.AsSpan(first, count));
        reader.ReadSpan(log.Tiles.AsSpan(first, count));
        return log;
    }

    /// <summary>Gives the arrays back (the owner is inside a write).</summary>
    public void Release()
    {
        _arrays.TileStarts.Return(Starts);
        _arrays.Tiles.Return(Tiles);
        Starts = [];
        Tiles = [];
        First = Count = 0;
    }

    public void Add(long tileStart, long timeMs, long amountCents)
    {
        // Tiles arrive in time order except late events, so search from the newest tile.
        var i = First + Count - 1;
        while (i >= First && Starts[i] > tileStart)
            i--;
        if (i >= First && Starts[i] == tileStart)
        {
            Tiles[i].Add(timeMs, amountCents);
            return;
        }

        var at = i + 1;
        if (First + Count == Starts.Length)
        {
            at = MakeRoom(at);
        }

        if (at < First + Count)
        {
            Array.Copy(Starts, at, Starts, at + 1, First + Count - at);
            Array.Copy(Tiles, at, Tiles, at + 1, First + Count - at);
        }

        Starts[at] = tileStart;
        Tiles[at] = default;
        Tiles[at].Add(timeMs, amountCents);
        Count++;
    }

    /// <summary>Drops tiles that start before <paramref name="keepFromMs"/>.</summary>
    public void Trim(long keepFromMs)
    {
        while (Count > 0 && Starts[First] < keepFromMs)
        {
            First++;
            Count--;
        }

        if (Count == 0)
            First = 0;
    }

    /// <summary>Merges the tiles starting in <c>[fromMs, toMs)</c> into <paramref name="into"/>.</summary>
    public static void MergeRange(long[] starts, WindowAggregate[] tiles, int first, int count, long fromMs, long toMs,
        ref WindowAggregate into)
    {
        var end = Math.Min(first + count, Math.Min(starts.Length, tiles.Length));
        for (var i = Math.Max(first, 0); i < end; i++)
        {
            var s = starts[i];
            if (s >= toMs)
                break;
            if (s >= fromMs)
                into.Merge(tiles[i]);
        }
    }

    private int MakeRoom(int at)
    {
        if (First > 0 && Count < Starts.Length / 2)
        {
            Array.Copy(Starts, First, Starts, 0, Count);
            Array.Copy(Tiles, First, Tiles, 0, Count);
        }
        else
        {
            var starts = _arrays.TileStarts.Rent(Math.Max(InitialCapacity, Starts.Length * 2));
            var tiles = _arrays.Tiles.Rent(starts.Length);
            Array.Copy(Starts, First, starts, 0, Count);
            Array.Copy(Tiles, First, tiles, 0, Count);
            _arrays.TileStarts.Return(Starts);
            _arrays.Tiles.Return(Tiles);
            Starts = starts;
            Tiles = tiles;
        }

        var shifted = at - First;
        First = 0;
        return shifted;
    }
}
