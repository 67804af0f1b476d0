namespace Amlfs.Engine;

/// <summary>
/// Transaction ids seen within the dedup retention, as 128-bit fingerprints with their event time. Open addressing
/// with linear probing; expired ids become tombstones that later inserts reuse, so a steady stream reaches a fixed
/// size and stops allocating. Single-threaded (owned by the admission gate).
/// </summary>
internal sealed class TransactionIdSet
{
    private const ulong Empty = 0;
    private const ulong Removed = 1;
    private Entry[] _entries;
    private int _live;
    private int _used;
    private int _sweepCursor;

    public TransactionIdSet(int expected)
    {
        var capacity = 1024;
        while (capacity < expected * 2L && capacity < 1 << 30)
            capacity <<= 1;
        _entries = new Entry[capacity];
    }

    /// <summary>A hint that <paramref name="id"/> will be looked up soon.</summary>
    public void Prefetch(UInt128 id) => CachePrefetch.Read(ref _entries[(int)((ulong)id & (ulong)(_entries.Length - 1))]);

    /// <summary>Whether the id was remembered with an event time at or after <paramref name="sinceMs"/>.</summary>
    public bool Contains(UInt128 id, long sinceMs) => Find(id, out var slot) && _entries[slot].TimeMs >= sinceMs;

    /// <summary>Remembers an id with its event time, replacing an expired entry of the same id.</summary>
    public void Add(UInt128 id, long timeMs)
    {
        if (Find(id, out var slot))
        {
            _entries[slot].TimeMs = timeMs;
            return;
        }

        if (_entries[slot].Lo == Empty && _entries[slot].Hi == 0)
            _used++;
        _entries[slot] = new Entry { Hi = (ulong)(id >> 64), Lo = (ulong)id, TimeMs = timeMs };
        _live++;
        if (_used * 4L > _entries.Length * 3L)
            Rehash(_live * 2L > _entries.Length / 2 ? _entries.Length * 2 : _entries.Length);
    }

    /// <summary>Finds the id; when absent, <paramref name="slot"/> is where to insert it (a reusable tombstone first).</summary>
    private bool Find(UInt128 id, out int slot)
    {
        var hi = (ulong)(id >> 64);
        var lo = (ulong)id;
        var mask = _entries.Length - 1;
        slot = (int)(lo & (ulong)mask);
        var reuse = -1;
        while (true)
        {
            ref var e = ref _entries[slot];
            if (e.Lo == Empty && e.Hi == 0)
                break;
            if (e.Lo == lo && e.Hi == hi)
                return true;
            if (e.Lo == Removed && e.Hi == 0 && reuse < 0)
                reuse = slot;
            slot = (slot + 1) & mask;
        }

        if (reuse >= 0)
            slot = reuse;
        return false;
    }

    /// <summary>
    /// Forgets ids whose event time is before <paramref name="cutoffMs"/>, visiting the next <paramref name="slots"/>
    /// slots of the table (cycling): a few slots per insert sweep the whole table at a constant cost per insert.
    /// </summary>
    public void SweepStep(long cutoffMs, int slots)
    {
        var entries = _entries;
        for (var n = 0; n < slots; n++)
        {
            if (_sweepCursor >= entries.Length)
                _sweepCursor = 0;
            ref var e = ref entries[_sweepCursor++];
            if ((e.Hi != 0 || e.Lo > Removed) && e.TimeMs < cutoffMs)
            {
                e = new Entry { Hi = 0, Lo = Removed };
                _live--;
            }
        }
    }

    /// <summary>
    /// Writes the ids remembered with an event time at or after <paramref name="keepFromMs"/> (the older ones can no
    /// longer make a duplicate) in chunks: a count, then that many entries; a count of 0 ends the list.
    /// </summary>
    public void WriteTo(SnapshotWriter writer, long keepFromMs)
    {
        const int ChunkSize = 1_024;
        var chunk = new Entry[ChunkSize];
        var n = 0;
        foreach (var e in _entries)
        {
            if ((e.Hi == 0 && e.Lo <= Removed) || e.TimeMs < keepFromMs)
                continue;
            chunk[n++] = e;
            if (n == ChunkSize)
            {
                writer.WriteCount(n);
                writer.WriteSpan<Entry>(chunk);
                n = 0;
            }
        }

        if (n > 0)
        {
            writer.WriteCount(n);
            writer.WriteSpan<Entry>(chunk.AsSpan(0, n));
        }

        writer.WriteCount(0);
    }

    /// <summary>Adds the ids <see cref="WriteTo"/> wrote.</summary>
    public void ReadFrom(SnapshotReader reader)
    {
        const int ChunkSize = 1_024;
        var chunk = new Entry[ChunkSize];
        while (reader.ReadCount(ChunkSize) is var n and > 0)
        {
            var entries = chunk.AsSpan(0, n);
            reader.ReadSpan(entries);
            foreach (var e in entries)
            {
                if (e.Hi == 0 && e.Lo <= Removed)
                    throw SnapshotReader.Corrupt("a transaction id fingerprint of 0 or 1");
                Add(((UInt128)e.Hi << 64) | e.Lo, e.TimeMs);
            }
        }
    }

    /// <summary>Forgets every id, keeping the capacity.</summary>
    public void Clear()
    {
        Array.Clear(_entries);
        _live = _used = _sweepCursor = 0;
    }

    private void Rehash(int capacity)
    {
        var old = _entries;
        _entries = new Entry[capacity];
        _used = 0;
        var mask = capacity - 1;
        foreach (var e in old)
        {
            if (e.Hi == 0 && e.Lo <= Removed)
                continue;
            var slot = (int)(e.Lo & (ulong)mask);
            while (_entries[slot].Lo != Empty || _entries[slot].Hi != 0)
                slot = (slot + 1) & mask;
            _entries[slot] = e;
            _used++;
        }
    }

    private struct Entry
    {
        public ulong Hi;
        public ulong Lo;
        public long TimeMs;
    }
}
