using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Amlfs.Engine;

/// <summary>
/// Entities of one type in one shard, by id: an open-addressing table with one writer (the shard thread) and any
/// number of lock-free readers. The writer publishes an entry by storing its state before its hash, and a grown table
/// by swapping the array reference, so a reader always sees either nothing or a complete entry. Removed entries become
/// tombstones until the next rebuild; slots are never reused in place.
/// </summary>
internal sealed class EntityTable
{
    private static readonly EntityState Tombstone = new("", 0, 0, null);
    private const int InitialCapacity = 16;
    private const byte LiveEntry = 1;
    private const byte RemovedEntry = 2;
    private readonly EntityArrays _arrays = new();
    private Entry[] _entries;
    private int _used; // live entries plus tombstones
    private int _sweepCursor;

    public EntityTable()
        : this(InitialCapacity)
    {
    }

    private EntityTable(int capacity) => _entries = new Entry[capacity];

    public int Count { get; private set; }

    public EntityState? Find(string id, ulong hash) => Probe(hash, id);

    /// <summary>
    /// The entity whose id has the fingerprint <paramref name="hash"/>, whatever the id: graph searches know their
    /// neighbours by fingerprint alone (an event keeps its counterparty's), and a 64-bit fingerprint is the identity
    /// distinct counts already rely on. Of two ids with one fingerprint (about n² / 2⁶⁵ for n entities), the first found.
    /// </summary>
    public EntityState? FindByHash(ulong hash) => Probe(hash, null);

    /// <summary>The live entity of <paramref name="hash"/> whose id is <paramref name="id"/>, or with any id when null.</summary>
    private EntityState? Probe(ulong hash, string? id)
    {
        var entries = Volatile.Read(ref _entries);
        var mask = entries.Length - 1;
        var slot = (int)(hash & (ulong)mask);
        for (var probes = 0; probes < entries.Length; probes++)
        {
            ref var entry = ref entries[slot];
            var h = Volatile.Read(ref entry.Hash);
            if (h == 0)
                return null;
            if (h == hash)
            {
                var state = Volatile.Read(ref entry.State);
                if (state is not null && !ReferenceEquals(state, Tombstone) && (id is null || ReferenceEquals(state.Id, id) || state.Id == id))
                    return state;
            }

            slot = (slot + 1) & mask;
        }

        return null;
    }

    /// <summary>Writer only: a hint that the slot of <paramref name="hash"/> will be read soon.</summary>
    public void PrefetchSlot(ulong hash)
    {
        var entries = _entries;
        CachePrefetch.Read(ref entries[(int)(hash & (ulong)(entries.Length - 1))]);
    }

    /// <summary>
    /// Writer only: a hint that the entity will be written soon. Reads its first slot (prefetched earlier) and, when
    /// that slot holds the entity, prefetches the state object.
    /// </summary>
    public void PrefetchState(ulong hash)
    {
        if (SlotState(hash) is { } state)
            CachePrefetch.Read(ref Unsafe.As<RawObject>(state).Data);
    }

    /// <summary>Writer only: as <see cref="PrefetchState"/>, for the end of the event arrays (the state is cached by then).</summary>
    public void PrefetchTail(ulong hash) => SlotState(hash)?.PrefetchTail();

    private EntityState? SlotState(ulong hash)
    {
        var entries = _entries;
        ref var entry = ref entries[(int)(hash & (ulong)(entries.Length - 1))];
        return entry.Hash == hash ? entry.State : null;
    }

    /// <summary>
    /// Writer only: the entity's state, created on first sight, with its slot's newest event time raised to
    /// <paramref name="eventTimeMs"/> (the sweep reads idleness from the slot without touching the entity).
    /// </summary>
    public EntityState GetOrAdd(string id, ulong hash, long eventTimeMs, int distinctFields, int tileFamilies, int seenFamilies)
    {
        var entries = _entries;
        var mask = entries.Length - 1;
        var slot = (int)(hash & (ulong)mask);
        while (true)
        {
            ref var entry = ref entries[slot];
            if (entry.Hash == 0)
                break;
            if (entry.Hash == hash && entry.State is { } found && !ReferenceEquals(found, Tombstone)
                && (ReferenceEquals(found.Id, id) || found.Id == id))
            {
                if (eventTimeMs > entry.NewestMs)
                    entry.NewestMs = eventTimeMs;
                return found;
            }

            slot = (slot + 1) & mask;
        }

        if ((_used + 1) * 2 > _entries.Length)
            Rebuild(Count + 1 > _entries.Length / 4 ? _entries.Length * 2 : _entries.Length);
        var state = new EntityState(id, distinctFields, tileFamilies, _arrays, seenFamilies);
        Place(_entries, state, hash, eventTimeMs);
        _used++;
        Count++;
        return state;
    }

    /// <summary>
    /// Writer only: visits the next <paramref name="slots"/> slots (cycling) and removes entities whose newest event
    /// is before <paramref name="idleBeforeMs"/>. A few slots per applied event sweep the table at a constant cost
    /// per event, reading only the table's own array.
    /// </summary>
    public void SweepStep(int slots, long idleBeforeMs)
    {
        var entries = _entries;
        for (var n = 0; n < slots; n++)
        {
            if (_sweepCursor >= entries.Length)
                _sweepCursor = 0;
            ref var entry = ref entries[_sweepCursor++];
            if (entry.Hash == 0 || entry.NewestMs >= idleBeforeMs || ReferenceEquals(entry.State, Tombstone))
                continue;
            var removed = entry.State!;
            Volatile.Write(ref entry.State, Tombstone);
            removed.Release();
            Count--;
        }
    }

    /// <summary>Writer only (or a quiescent shard): every live entity.</summary>
    public IEnumerable<EntityState> All()
    {
        foreach (var entry in _entries)
        {
            if (entry.State is { } state && !ReferenceEquals(state, Tombstone))
                yield return state;
        }
    }

    /// <summary>
    /// Writer only (or a quiescent shard): writes the table slot by slot, tombstones included, with the sweep cursor,
    /// so that a restored table probes, grows and sweeps idle entities exactly as this one would.
    /// </summary>
    public void WriteTo(SnapshotWriter writer)
    {
        var entries = _entries;
        writer.WriteCount(entries.Length);
        writer.WriteCount(_sweepCursor);
        writer.WriteCount(Count);
        writer.WriteCount(_used);
        var previous = -1;
        for (var slot = 0; slot < entries.Length; slot++)
        {
            ref var entry = ref entries[slot];
            if (entry.Hash == 0)
                continue;
            writer.WriteCount(slot - previous - 1);
            previous = slot;
            writer.WriteUInt64(entry.Hash);
            writer.WriteInt64(entry.NewestMs);
            if (ReferenceEquals(entry.State, Tombstone))
            {
                writer.WriteByte(RemovedEntry);
                continue;
            }

            writer.WriteByte(LiveEntry);
            writer.WriteString(entry.State!.Id);
            entry.State.WriteTo(writer);
        }
    }

    /// <summary>A table as <see cref="WriteTo"/> wrote it, for entities of <paramref name="plan"/>.</summary>
    public static EntityTable ReadFrom(SnapshotReader reader, EntityPlan plan)
    {
        var capacity = reader.ReadCount();
        if (capacity < InitialCapacity || !int.IsPow2(capacity))
            throw SnapshotReader.Corrupt(string.Create(CultureInfo.InvariantCulture, $"an entity table of {capacity} slots"));
        var table = new EntityTable(capacity) { _sweepCursor = reader.ReadCount(capacity) };
        var count = reader.ReadCount(capacity);
        var used = reader.ReadCount(capacity);
        var entries = table._entries;
        var slot = -1;
        for (var n = 0; n < used; n++)
        {
            if (slot + 1 >= capacity)
                throw SnapshotReader.Corrupt("more entities than table slots");
            slot += reader.ReadCount(capacity - slot - 2) + 1;
            ref var entry = ref entries[slot];
            entry.Hash = reader.ReadUInt64();
            entry.NewestMs = reader.ReadInt64();
            if (entry.Hash == 0)
                throw SnapshotReader.Corrupt("an entity hash of 0");
            switch (reader.ReadByte())
            {
                case RemovedEntry:
                    entry.State = Tombstone;
                    break;
                case LiveEntry:
                    var id = reader.ReadString();
                    // The id must hash as routing hashes it, or the entity would be unreachable in its slot.
                    if (Fingerprint.Of(id) != entry.Hash)
                        throw SnapshotReader.Corrupt("an entity id does not match its hash");
                    entry.State = EntityState.ReadFrom(reader, id, plan.DistinctFields.Length, plan.Tiles.Length, table._arrays, plan.SeenFamilies.Length);
                    table.Count++;
                    break;
                default:
                    throw SnapshotReader.Corrupt("an entity slot marker");
            }
        }

        if (table.Count != count)
            throw SnapshotReader.Corrupt("an entity table's count does not match its entries");
        table._used = used;
        return table;
    }

    private void Rebuild(int capacity)
    {
        var entries = new Entry[capacity];
        foreach (var entry in _entries)
        {
            if (entry.State is { } state && !ReferenceEquals(state, Tombstone))
                Place(entries, state, entry.Hash, entry.NewestMs);
        }

        _used = Count;
        Volatile.Write(ref _entries, entries);
    }

    private static void Place(Entry[] entries, EntityState state, ulong hash, long newestMs)
    {
        var mask = entries.Length - 1;
        var slot = (int)(hash & (ulong)mask);
        while (entries[slot].Hash != 0)
            slot = (slot + 1) & mask;
        entries[slot].NewestMs = newestMs;
        Volatile.Write(ref entries[slot].State, state);
        Volatile.Write(ref entries[slot].Hash, hash);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Entry
    {
        public ulong Hash; // 0 = empty; entity hashes are never 0
        public EntityState? State;
        public long NewestMs; // newest event time of the entity, for the sweep
    }

    /// <summary>Layout of any object's first field, to take its address for a prefetch hint.</summary>
    private sealed class RawObject
    {
        public byte Data;
    }
}
