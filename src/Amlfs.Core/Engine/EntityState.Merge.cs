namespace Amlfs.Engine;

/// <summary>Two partial states of one entity as one.</summary>
internal sealed partial class EntityState
{
    /// <summary>
    /// The state of one entity from two partial states of it that hold disjoint sets of its events, as two engines keep
    /// the outflows and the inflows of an account (<see cref="EngineOptions.KeptDirection"/>): the events of both in
    /// time order with their fingerprints, each tile family's tiles merged tile by tile, and the larger log sequence.
    /// Evaluated as of any time that both engines could still read, it gives the bits of one engine that kept both: each
    /// aggregate is an exact sum, an extreme or a set of the events in its range, whatever the order of events of equal
    /// time; each seen family's values, with the later time of a value both hold. The larger log sequence is the entity's when both parts number their events from one log; from two logs
    /// (a Kafka worker's two topics) sequences are not comparable, and the result's is only the larger number. Neither
    /// part is changed; both must be quiescent (read from bytes, or no longer written).
    /// </summary>
    /// <exception cref="ArgumentException">The parts are of other entities or of other layouts.</exception>
    public static EntityState Merge(EntityState a, EntityState b, EntityArrays arrays)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Id != b.Id || a.FieldCount != b.FieldCount || a.Tiles.Length != b.Tiles.Length || a.Seen.Length != b.Seen.Length)
            throw new ArgumentException($"the partial states of '{a.Id}' and '{b.Id}' are not of one entity of one layout", nameof(b));
        var k = a.FieldCount;
        var count = a.Count + b.Count;
        var merged = new EntityState(a.Id, k, a.Tiles.Length, arrays, Math.Max(InitialCapacity, count), a.Seen.Length)
        {
            Count = count,
            LogSequence = Math.Max(a.LogSequence, b.LogSequence),
        };
        int i = a.First, j = b.First, endA = a.First + a.Count, endB = b.First + b.Count;
        for (var at = 0; at < count; at++)
        {
            var fromA = j == endB || (i < endA && a.Events[i].TimeMs <= b.Events[j].TimeMs);
            var (from, index) = fromA ? (a, i++) : (b, j++);
            merged.Events[at] = from.Events[index];
            Array.Copy(from.Fingerprints, index * k, merged.Fingerprints, at * k, k);
        }

        merged._oldestMs = count > 0 ? merged.Events[0].TimeMs : long.MaxValue;
        for (var f = 0; f < merged.Tiles.Length; f++)
            merged.Tiles[f] = TileLog.Merge(a.Tiles[f], b.Tiles[f], arrays);
        for (var f = 0; f < merged.Seen.Length; f++)
            merged.Seen[f] = SeenValues.Merge(a.Seen[f], b.Seen[f]);
        return merged;
    }
}
