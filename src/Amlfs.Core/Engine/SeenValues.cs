using System.Globalization;
using System.Runtime.InteropServices;

namespace Amlfs.Engine;

/// <summary>
/// For one <see cref="SeenFamily"/> of an entity: the latest time of each value (a 64-bit fingerprint) among the events
/// that have left the entity's raw event log. With the raw events it still holds, it tells exactly whether and when a
/// value was last seen before q within a window of up to 30 days, at 16 bytes a value instead of the events'.
/// <para>
/// Invariant: every time held is older than any as-of time a read may ask for (an event leaves the raw log only once it
/// is older than the query history's start minus the longest raw span), so the latest time held for a value is the
/// latest of its events before q that the raw log no longer has. Values whose time no read can reach any more are
/// dropped when the table next needs room.
/// </para>
/// <para>
/// One writer (the shard thread) under the entity's sequence lock; readers tolerate a torn table: a probe stops after
/// the table's length, and a grown table is built aside and published whole.
/// </para>
/// </summary>
internal sealed class SeenValues
{
    private const int InitialCapacity = 8;
    private Slot[] _slots = new Slot[InitialCapacity];
    private int _count;

    /// <summary>Values held (expired ones included until the table next needs room).</summary>
    public int Count => _count;

    /// <summary>Bytes on the managed heap, object headers included, for the memory figures.</summary>
    public long ApproximateBytes => 16 + 8 + 4 + 24 + _slots.Length * 16L;

    /// <summary>The latest time held for <paramref name="fingerprint"/> (never 0), or null when none is.</summary>
    public long? Latest(ulong fingerprint)
    {
        var slots = Volatile.Read(ref _slots);
        var mask = slots.Length - 1;
        var at = (int)(fingerprint & (ulong)mask);
        for (var probes = 0; probes < slots.Length; probes++)
        {
            ref readonly var slot = ref slots[at];
            if (slot.Key == fingerprint)
                return slot.TimeMs;
            if (slot.Key == 0)
                return null;
            at = (at + 1) & mask;
        }

        return null;
    }

    /// <summary>
    /// Writer only: remembers that a value (never 0) was seen at <paramref name="timeMs"/>, keeping the later time.
    /// When the table needs room, values last seen before <paramref name="expireBeforeMs"/> are dropped first.
    /// </summary>
    public void Record(ulong fingerprint, long timeMs, long expireBeforeMs)
    {
        ref var slot = ref Find(_slots, fingerprint);
        if (slot.Key == fingerprint)
        {
            slot.TimeMs = Math.Max(slot.TimeMs, timeMs);
            return;
        }

        if ((_count + 1) * 4 > _slots.Length * 3)
        {
            Rebuild(expireBeforeMs);
            slot = ref Find(_slots, fingerprint);
        }

        slot.TimeMs = timeMs;
        Volatile.Write(ref slot.Key, fingerprint); // a reader sees the key only with its time
        _count++;
    }

    /// <summary>Writes the table as it is, slot by slot, so that a restored one probes and grows exactly as this one.</summary>
    public void WriteTo(SnapshotWriter writer)
    {
        writer.WriteCount(_slots.Length);
        writer.WriteCount(_count);
        writer.WriteSpan<Slot>(_slots);
    }

    /// <summary>A table as <see cref="WriteTo"/> wrote it.</summary>
    public static SeenValues ReadFrom(SnapshotReader reader)
    {
        var capacity = reader.ReadCount(1 << 28);
        if (capacity < InitialCapacity || !int.IsPow2(capacity))
            throw SnapshotReader.Corrupt(string.Create(CultureInfo.InvariantCulture, $"a seen-values table of {capacity} slots"));
        var values = new SeenValues { _slots = new Slot[capacity], _count = reader.ReadCount(capacity) };
        reader.ReadSpan(values._slots.AsSpan());
        if (values._slots.Count(s => s.Key != 0) != values._count)
            throw SnapshotReader.Corrupt("a seen-values table's count does not match its slots");
        return values;
    }

    /// <summary>The values of two partial states of one entity, each with the later of its two times; null when both are.</summary>
    public static SeenValues? Merge(SeenValues? a, SeenValues? b)
    {
        if (a is null || b is null)
            return a?.Copy() ?? b?.Copy();
        var merged = a.Copy();
        foreach (var slot in b._slots)
        {
            if (slot.Key != 0)
                merged.Record(slot.Key, slot.TimeMs, long.MinValue);
        }

        return merged;
    }

    private SeenValues Copy() => new() { _slots = (Slot[])_slots.Clone(), _count = _count };

    /// <summary>The slot of a fingerprint, or the empty slot where it would go (the table always has one).</summary>
    private static ref Slot Find(Slot[] slots, ulong fingerprint)
    {
        var mask = slots.Length - 1;
        var at = (int)(fingerprint & (ulong)mask);
        while (slots[at].Key != 0 && slots[at].Key != fingerprint)
            at = (at + 1) & mask;
        return ref slots[at];
    }

    /// <summary>A new table with the values no read can miss yet, at most half full, published whole.</summary>
    private void Rebuild(long expireBeforeMs)
    {
        var live = 0;
        foreach (var slot in _slots)
        {
            if (slot.Key != 0 && slot.TimeMs >= expireBeforeMs)
                live++;
        }

        var capacity = InitialCapacity;
        while (capacity < (live + 1) * 2)
            capacity *= 2;
        var slots = new Slot[capacity];
        foreach (var slot in _slots)
        {
            if (slot.Key != 0 && slot.TimeMs >= expireBeforeMs)
                Find(slots, slot.Key) = slot;
        }

        Volatile.Write(ref _slots, slots);
        _count = live;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Slot
    {
        public ulong Key; // 0 = empty; fingerprints are never 0
        public long TimeMs;
    }
}
