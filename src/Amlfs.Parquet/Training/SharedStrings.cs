using System.Text;
using Amlfs.Engine;

namespace Amlfs.Parquet.Training;

/// <summary>
/// One string per distinct value of an id column (customers, merchants), found by the 128-bit fingerprint of the
/// value's UTF-8 bytes: ten million rows then hold a few hundred thousand strings, not ten million that the collector
/// would promote and trace, and the engine finds each id's entity by reference. Two values share a string only when
/// their fingerprints are equal, which for different values is as likely as a collision of transaction-id fingerprints
/// (the admission gate's own standard). Lookups run on any number of threads without a lock; additions take one. A
/// lookup of a table that a concurrent addition has since replaced misses and retries under the lock.
/// </summary>
internal sealed class SharedStrings
{
    private readonly Lock _lock = new();
    private Slot[] _slots = new Slot[1 << 10];
    private int _count;

    /// <summary>Distinct values held.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>A hint that the value of <paramref name="fingerprint"/> will be looked up soon.</summary>
    public void Prefetch(UInt128 fingerprint)
    {
        var slots = Volatile.Read(ref _slots);
        CachePrefetch.Read(ref slots[(int)(ulong)fingerprint & (slots.Length - 1)]);
    }

    /// <summary>The string of <paramref name="utf8"/>, whose fingerprint is <paramref name="fingerprint"/>; made once.</summary>
    public string Get(UInt128 fingerprint, ReadOnlySpan<byte> utf8) =>
        Find(Volatile.Read(ref _slots), fingerprint) ?? Add(fingerprint, utf8);

    private static string? Find(Slot[] slots, UInt128 fingerprint)
    {
        var mask = slots.Length - 1;
        for (var i = (int)(ulong)fingerprint & mask; ; i = (i + 1) & mask)
        {
            ref var slot = ref slots[i];
            // The value is published after the fingerprint: a slot with a value has its fingerprint.
            var value = Volatile.Read(ref slot.Value);
            if (value is null)
                return null;
            if (slot.Fingerprint == fingerprint)
                return value;
        }
    }

    private string Add(UInt128 fingerprint, ReadOnlySpan<byte> utf8)
    {
        lock (_lock)
        {
            var slots = _slots;
            if (Find(slots, fingerprint) is { } found)
                return found;
            if ((_count + 1) * 2 > slots.Length)
            {
                // Readers of the old table keep a consistent copy; nothing writes to it again.
                var grown = new Slot[slots.Length * 2];
                foreach (var slot in slots)
                {
                    if (slot.Value is not null)
                        Place(grown, slot.Fingerprint, slot.Value);
                }

                slots = grown;
                Volatile.Write(ref _slots, grown);
            }

            var value = Encoding.UTF8.GetString(utf8);
            Place(slots, fingerprint, value);
            Volatile.Write(ref _count, _count + 1);
            return value;
        }
    }

    private static void Place(Slot[] slots, UInt128 fingerprint, string value)
    {
        var mask = slots.Length - 1;
        var i = (int)(ulong)fingerprint & mask;
        while (slots[i].Value is not null)
            i = (i + 1) & mask;
        slots[i].Fingerprint = fingerprint;
        Volatile.Write(ref slots[i].Value, value);
    }

    private struct Slot
    {
        public UInt128 Fingerprint;
        public string? Value;
    }
}
