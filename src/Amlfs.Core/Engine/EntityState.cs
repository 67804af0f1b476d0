namespace Amlfs.Engine;

/// <summary>
/// The stored state of one entity: its events in time order (16 bytes each plus 8 per distinct field), for tiled
/// windows one <see cref="TileLog"/> per tile family, and for the aggregations compared with the request one
/// <see cref="SeenValues"/> per seen family, which keeps what the events leaving the raw log had. One shard thread writes
/// it; any thread reads it.
/// <para>
/// Reads are made safe by a sequence lock: the writer makes <see cref="_version"/> odd before it mutates and even
/// after; a reader copies what it needs, then retries if the version moved. A reader may see a torn state during the
/// copy, so every read path bounds its indices by the arrays it holds and never trusts counts alone.
/// </para>
/// </summary>
internal sealed partial class EntityState
{
    private const int InitialCapacity = 4;
    private int _version;

    public EntityState(string id, int distinctFields, int tileFamilies, EntityArrays? arrays, int seenFamilies = 0)
        : this(id, distinctFields, tileFamilies, arrays ?? new EntityArrays(), InitialCapacity, seenFamilies)
    {
    }

    /// <summary>Invariant: the fingerprint array holds <see cref="FieldCount"/> fingerprints per event slot.</summary>
    private EntityState(string id, int distinctFields, int tileFamilies, EntityArrays arrays, int capacity, int seenFamilies)
    {
        Id = id;
        FieldCount = distinctFields;
        _arrays = arrays;
        Events = _arrays.Events.Rent(capacity);
        Fingerprints = _arrays.Fingerprints.Rent(capacity * distinctFields);
        Tiles = tileFamilies == 0 ? [] : new TileLog?[tileFamilies];
        Seen = seenFamilies == 0 ? [] : new SeenValues?[seenFamilies];
    }

    private readonly EntityArrays _arrays;

    public string Id { get; }

    /// <summary>Number of fingerprints per event (the plan's distinct fields).</summary>
    public int FieldCount { get; }

    internal CompactEvent[] Events;
    internal ulong[] Fingerprints;
    internal int First;
    internal int Count;
    internal TileLog?[] Tiles;

    /// <summary>Per seen family of the plan, the values of the events that left the raw log; null until one did.</summary>
    internal SeenValues?[] Seen;

    /// <summary>
    /// The log sequence of the newest-arrived event applied to this entity (0 before any): the state holds exactly
    /// the entity's accepted events with sequences up to it. Written inside Begin/EndWrite, so a reader gets the value
    /// that belongs to the features it read.
    /// </summary>
    internal long LogSequence;

    /// <summary>Time of the oldest stored event (long.MaxValue when none), so trimming rarely reads the array head.</summary>
    private long _oldestMs = long.MaxValue;

    public int Version => Volatile.Read(ref _version);

    public void BeginWrite() => Interlocked.Increment(ref _version);

    public void EndWrite() => Volatile.Write(ref _version, _version + 1);

    /// <summary>Whether a read that started at <paramref name="version"/> saw a consistent state.</summary>
    public bool Validate(int version)
    {
        Interlocked.MemoryBarrier();
        return Volatile.Read(ref _version) == version;
    }

    /// <summary>Inserts an event in time order (after events with the same time). Call between Begin/EndWrite.</summary>
    public void Insert(in CompactEvent e, ReadOnlySpan<ulong> fingerprints)
    {
        var t = e.TimeMs;
        if (t < _oldestMs)
            _oldestMs = t;
        if (First + Count == Events.Length)
            MakeRoom();
        var end = First + Count;
        var at = end;
        while (at > First && Events[at - 1].TimeMs > t)
            at--;
        var k = FieldCount;
        if (at < end)
        {
            Array.Copy(Events, at, Events, at + 1, end - at);
            if (k > 0)
                Array.Copy(Fingerprints, at * k, Fingerprints, (at + 1) * k, (end - at) * k);
        }

        Events[at] = e;
        if (k > 0)
            fingerprints[..k].CopyTo(Fingerprints.AsSpan(at * k, k));
        Count++;
    }

    /// <summary>
    /// Drops events before <paramref name="keepFromMs"/>. Capacity stays, so that daily cycles of activity do not
    /// shrink and regrow arrays every day; an entity's memory is released when the sweep removes the idle entity.
    /// An event leaving passes its value of each seen family (<paramref name="seen"/>, the plan's) to the family's
    /// <see cref="SeenValues"/>, which may drop values last seen before <paramref name="expireBeforeMs"/> when it needs room.
    /// Call between Begin/EndWrite.
    /// </summary>
    public void TrimEvents(long keepFromMs, SeenFamily[] seen, long expireBeforeMs)
    {
        if (_oldestMs >= keepFromMs)
            return; // the usual case, decided without touching the event array
        while (Count > 0 && Events[First].TimeMs < keepFromMs)
        {
            if (seen.Length > 0)
                RememberSeen(First, seen, expireBeforeMs);
            First++;
            Count--;
        }

        if (Count == 0)
            First = 0;
        _oldestMs = Count > 0 ? Events[First].TimeMs : long.MaxValue;
    }

    private void RememberSeen(int at, SeenFamily[] seen, long expireBeforeMs)
    {
        ref readonly var e = ref Events[at];
        for (var f = 0; f < seen.Length; f++)
        {
            var fingerprint = Fingerprints[at * FieldCount + seen[f].Field];
            if (fingerprint != 0 && seen[f].Filter.Matches(e.LocalHour, e.LocalDay, e.AmountCents, e.IsInflow))
                (Seen[f] ??= new SeenValues()).Record(fingerprint, e.TimeMs, expireBeforeMs);
        }
    }

    /// <summary>A hint that the end of the event arrays, where the next event goes, will be written soon.</summary>
    public void PrefetchTail()
    {
        var events = Events;
        var end = First + Count;
        if ((uint)end < (uint)events.Length)
            CachePrefetch.Read(ref events[end]);
        var fingerprints = Fingerprints;
        var f = end * FieldCount;
        if ((uint)f < (uint)fingerprints.Length)
            CachePrefetch.Read(ref fingerprints[f]);
    }

    public TileLog Tile(int family) => Tiles[family] ??= new TileLog(_arrays);

    /// <summary>Gives every array back to the shard's recyclers when the sweep removes the entity.</summary>
    public void Release()
    {
        BeginWrite();
        _arrays.Events.Return(Events);
        _arrays.Fingerprints.Return(Fingerprints);
        foreach (var tile in Tiles)
            tile?.Release();
        Events = [];
        Fingerprints = [];
        First = Count = 0;
        EndWrite();
    }

    /// <summary>
    /// Writes everything later writes and reads depend on: the capacity and position of the events (so that the
    /// restored arrays grow and compact exactly as these would), the stored events and their fingerprints only, the
    /// oldest event time, the log sequence, each tile family's log or its absence, and each seen family's values or
    /// their absence (nothing for a plan without seen families, so that older snapshots read as before). The id is the
    /// caller's to write.
    /// </summary>
    public void WriteTo(SnapshotWriter writer)
    {
        var k = FieldCount;
        writer.WriteCount(Events.Length);
        writer.WriteCount(First);
        writer.WriteCount(Count);
        writer.WriteInt64(_oldestMs);
        writer.WriteInt64(LogSequence);
        writer.WriteSpan<CompactEvent>(Events.AsSpan(First, Count));
        writer.WriteSpan<ulong>(Fingerprints.AsSpan(First * k, Count * k));
        foreach (var tile in Tiles)
        {
            writer.WriteByte(tile is null ? (byte)0 : (byte)1);
            tile?.WriteTo(writer);
        }

        foreach (var values in Seen)
        {
            writer.WriteByte(values is null ? (byte)0 : (byte)1);
            values?.WriteTo(writer);
        }
    }

    /// <summary>An entity as <see cref="WriteTo"/> wrote it, its arrays rented from <paramref name="arrays"/>.</summary>
    public static EntityState ReadFrom(SnapshotReader reader, string id, int distinctFields, int tileFamilies, EntityArrays arrays,
        int seenFamilies = 0)
    {
        var capacity = reader.ReadCount(Array.MaxLength / Math.Max(1, distinctFields));
        var first = reader.ReadCount(capacity);
        var count = reader.ReadCount(capacity - first);
        var state = new EntityState(id, distinctFields, tileFamilies, arrays, capacity, seenFamilies)
        {
            First = first,
            Count = count,
            _oldestMs = reader.ReadInt64(),
            LogSequence = reader.ReadInt64(),
        };
        reader.ReadSpan(state.Events.AsSpan(first, count));
        reader.ReadSpan(state.Fingerprints.AsSpan(first * distinctFields, count * distinctFields));
        for (var f = 0; f < tileFamilies; f++)
        {
            state.Tiles[f] = reader.ReadByte() switch
            {
                0 => null,
                1 => TileLog.ReadFrom(reader, arrays),
                var b => throw SnapshotReader.Corrupt($"tile log marker {b}"),
            };
        }

        for (var f = 0; f < seenFamilies; f++)
        {
            state.Seen[f] = reader.ReadByte() switch
            {
                0 => null,
                1 => SeenValues.ReadFrom(reader),
                var b => throw SnapshotReader.Corrupt($"seen values marker {b}"),
            };
        }

        return state;
    }

    /// <summary>Bytes this entity holds on the managed heap (object headers included), for the memory benchmark.</summary>
    public long ApproximateBytes()
    {
        const int ArrayOverhead = 24;
        const int ObjectOverhead = 16;
        long bytes = ObjectOverhead + 8 * 7 + ObjectOverhead + Id.Length * 2 + 8;
        bytes += ArrayOverhead + Events.Length * 16L;
        bytes += Fingerprints.Length == 0 ? 0 : ArrayOverhead + Fingerprints.Length * 8L;
        bytes += Tiles.Length == 0 ? 0 : ArrayOverhead + Tiles.Length * 8L;
        foreach (var tile in Tiles)
        {
            if (tile is not null)
                bytes += ObjectOverhead + 16 + 2 * ArrayOverhead + tile.Starts.Length * (8L + 64);
        }

        bytes += Seen.Length == 0 ? 0 : ArrayOverhead + Seen.Length * 8L;
        foreach (var values in Seen)
            bytes += values?.ApproximateBytes ?? 0;
        return bytes;
    }

    private void MakeRoom()
    {
        if (First > 0 && Count <= Events.Length / 2)
        {
            var k = FieldCount;
            Array.Copy(Events, First, Events, 0, Count);
            if (k > 0)
                Array.Copy(Fingerprints, First * k, Fingerprints, 0, Count * k);
            First = 0;
        }
        else
        {
            Resize(Events.Length * 2);
        }
    }

    private void Resize(int capacity)
    {
        var k = FieldCount;
        var events = _arrays.Events.Rent(capacity);
        Array.Copy(Events, First, events, 0, Count);
        var fingerprints = _arrays.Fingerprints.Rent(capacity * k);
        if (k > 0)
            Array.Copy(Fingerprints, First * k, fingerprints, 0, Count * k);
        _arrays.Events.Return(Events);
        _arrays.Fingerprints.Return(Fingerprints);
        Events = events;
        Fingerprints = fingerprints;
        First = 0;
    }
}
