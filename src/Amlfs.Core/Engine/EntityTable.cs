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
    private static readonly EntityState Tombstone = new("", 0, 0);
    private Entry[] _entries = new Entry[16];
    private int _used; // live entries plus tombstones
    private int _sweepCursor;

    public int Count { get; private set; }

    public EntityState? Find(string id, ulong hash)
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
                if (state is not null && !ReferenceEquals(state, Tombstone) && state.Id == id)
                    return state;
            }

            slot = (slot + 1) & mask;
        }

        return null;
    }

    /// <summary>Writer only: the entity's state, created on first sight.</summary>
    public EntityState GetOrAdd(string id, ulong hash, int distinctFields, int tileFamilies)
    {
        if (Find(id, hash) is { } existing)
            return existing;
        if ((_used + 1) * 2 > _entries.Length)
            Rebuild(Count + 1 > _entries.Length / 4 ? _entries.Length * 2 : _entries.Length);
        var state = new EntityState(id, distinctFields, tileFamilies);
        Place(_entries, state, hash);
        _used++;
        Count++;
        return state;
    }

    /// <summary>
    /// Writer only: visits the next <paramref name="slots"/> slots of the table, cycling, and removes the entities for
    /// which <paramref name="expired"/> says so. Called a few slots per applied event, it sweeps the whole table once
    /// every (capacity / slots) events at a constant cost per event.
    /// </summary>
    public void SweepStep(int slots, Func<EntityState, bool> expired)
    {
        var entries = _entries;
        for (var n = 0; n < slots; n++)
        {
            if (_sweepCursor >= entries.Length)
                _sweepCursor = 0;
            ref var entry = ref entries[_sweepCursor++];
            var state = entry.State;
            if (state is null || ReferenceEquals(state, Tombstone) || !expired(state))
                continue;
            Volatile.Write(ref entry.State, Tombstone);
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

    private void Rebuild(int capacity)
    {
        var entries = new Entry[capacity];
        foreach (var entry in _entries)
        {
            if (entry.State is { } state && !ReferenceEquals(state, Tombstone))
                Place(entries, state, entry.Hash);
        }

        _used = Count;
        Volatile.Write(ref _entries, entries);
    }

    private static void Place(Entry[] entries, EntityState state, ulong hash)
    {
        var mask = entries.Length - 1;
        var slot = (int)(hash & (ulong)mask);
        while (entries[slot].Hash != 0)
            slot = (slot + 1) & mask;
        Volatile.Write(ref entries[slot].State, state);
        Volatile.Write(ref entries[slot].Hash, hash);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Entry
    {
        public ulong Hash; // 0 = empty; entity hashes are never 0
        public EntityState? State;
    }
}
