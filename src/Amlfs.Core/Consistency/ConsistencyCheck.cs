using Amlfs.Engine;
using Amlfs.Storage;
using Amlfs.Transactions;

namespace Amlfs.Consistency;

/// <summary>
/// Recomputes logged feature vectors from the accepted history through the same <see cref="FeatureEngine"/> and
/// compares them with what was served, value by value, bit for bit.
/// <para>
/// A vector served as of q with log sequence H was computed from exactly its entity's accepted events with time before
/// q and sequence up to H. The main pass replays the history in event-time order (<see cref="Replay"/>), as the
/// training-set path does, and reads each vector at its q once every event before q has been applied. That is exact
/// unless an event with time before q arrived after the vector was served (sequence above H, accepted within the
/// allowed lateness): such a vector is recomputed by a replay of its entity's events with time before q and sequence up
/// to H alone, and counted in <see cref="ConsistencyReport.ServedBeforeLateArrivals"/>, not as a mismatch. No tolerance
/// is applied.
/// </para>
/// </summary>
public static class ConsistencyCheck
{
    /// <summary>Mismatches kept as examples in the report.</summary>
    public const int ExampleLimit = 10;

    /// <summary>
    /// Runs the check. <paramref name="history"/> is the accepted history with its log sequences, in any order and
    /// possibly with repeats (the offline store and the write-ahead log may both hold a record); records of the same
    /// sequence are the same transaction. Sequence 0 marks rows from before the log (generated or imported history a
    /// backfill replayed), each distinct.
    /// </summary>
    public static ConsistencyReport Run(
        FeaturePlan plan,
        EngineOptions options,
        IEnumerable<WalRecord> history,
        IReadOnlyList<LoggedVector> vectors,
        long dropped = 0)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(vectors);
        options = options with { Threaded = false, ShardCount = 1 };

        // Only the entities of logged vectors matter; their events are all this check keeps in memory.
        var wanted = plan.Entities.Select(_ => new HashSet<string>(StringComparer.Ordinal)).ToArray();
        foreach (var vector in vectors)
        {
            if (plan.Entity(vector.Entity) is { } entity)
                wanted[entity.Index].Add(vector.EntityId);
        }

        var times = new Dictionary<long, long>();
        var events = new List<WalRecord>();
        foreach (var record in history)
        {
            // Sequence 0 is history from before the log (see FeatureEngine.IngestBatch): never repeated by the log.
            if (record.Sequence != 0 && !times.TryAdd(record.Sequence, record.Transaction.TimestampMs))
                continue;
            if (Touches(plan, wanted, record.Transaction))
                events.Add(record);
        }

        events.Sort(static (a, b) => a.Transaction.TimestampMs != b.Transaction.TimestampMs
            ? a.Transaction.TimestampMs.CompareTo(b.Transaction.TimestampMs)
            : a.Sequence.CompareTo(b.Sequence));
        var coverage = Coverage.Of(times, options.AllowedLatenessMs);

        var tally = new Tally(plan);
        var late = new List<int>();
        long missingVectors = 0;
        long changedByLateArrivals = 0;
        using (var engine = new FeatureEngine(plan, options))
        {
            var newestFed = plan.Entities.Select(_ => new Dictionary<string, long>(StringComparer.Ordinal)).ToArray();
            using var replay = new Replay(engine, events.Select(r => new ReplayEvent(r.Transaction, r.Sequence)), (transactions, sequences, statuses) =>
            {
                for (var i = 0; i < statuses.Length; i++)
                {
                    if (statuses[i] == IngestStatus.Accepted)
                        NoteFed(plan, wanted, newestFed, transactions[i], sequences[i]);
                }
            });
            foreach (var index in Enumerable.Range(0, vectors.Count).OrderBy(i => vectors[i].AsOfMs))
            {
                var vector = vectors[index];
                var entity = plan.Entity(vector.Entity);
                if (entity is null || !coverage.Covers(entity, vector))
                {
                    tally.Missing(vector);
                    missingVectors++;
                    continue;
                }

                var byEventTime = Recompute(replay, entity, vector);
                if (newestFed[entity.Index].TryGetValue(vector.EntityId, out var newest) && newest > vector.LogSequence)
                {
                    late.Add(index);
                    if (Differs(vector, byEventTime))
                        changedByLateArrivals++;
                    continue;
                }

                tally.Compare(vector, byEventTime);
            }
        }

        foreach (var group in late.GroupBy(i => (vectors[i].Entity, vectors[i].EntityId)))
        {
            var entity = plan.Entity(group.Key.Entity)!;
            var own = events.Where(r => EdgeEnds.Reaches(entity.Definition, r.Transaction, group.Key.EntityId)).ToArray();
            foreach (var index in group)
            {
                // The entity's events as the server had them when it served the vector: sequences up to H.
                var vector = vectors[index];
                using var engine = new FeatureEngine(plan, options);
                using var replay = new Replay(engine, own.Where(r => r.Sequence <= vector.LogSequence).Select(r => new ReplayEvent(r.Transaction, r.Sequence)));
                tally.Compare(vector, Recompute(replay, entity, vector));
            }
        }

        return new ConsistencyReport
        {
            Vectors = vectors.Count,
            Recomputed = vectors.Count - missingVectors,
            MismatchedVectors = tally.MismatchedVectors,
            MissingVectors = missingVectors,
            ServedBeforeLateArrivals = late.Count,
            ChangedByLateArrivals = changedByLateArrivals,
            Dropped = dropped,
            HistoryEvents = times.Count,
            Features = tally.Features(),
            Examples = tally.Examples,
        };
    }

    private static bool Touches(FeaturePlan plan, HashSet<string>[] wanted, Transaction transaction)
    {
        foreach (var entity in plan.Entities)
        {
            if (EdgeEnds.EntityIds(entity.Definition, transaction).Any(wanted[entity.Index].Contains))
                return true;
        }

        return false;
    }

    private static void NoteFed(FeaturePlan plan, HashSet<string>[] wanted, Dictionary<string, long>[] newestFed, Transaction transaction, long sequence)
    {
        foreach (var entity in plan.Entities)
        {
            foreach (var id in EdgeEnds.EntityIds(entity.Definition, transaction))
            {
                if (!wanted[entity.Index].Contains(id))
                    continue;
                var map = newestFed[entity.Index];
                map[id] = Math.Max(map.GetValueOrDefault(id), sequence);
            }
        }
    }

    /// <summary>Whether a served value differs from the event-time recomputation.</summary>
    private static bool Differs(LoggedVector vector, Dictionary<string, double> byEventTime)
    {
        for (var i = 0; i < vector.Names.Count; i++)
        {
            if (vector.Values[i] is { } value && byEventTime.TryGetValue(vector.Names[i], out var other)
                && BitConverter.DoubleToInt64Bits(value) != BitConverter.DoubleToInt64Bits(other))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The vector's features as the replay computes them as of its q: stored ones, and request ones when it had a
    /// request (with the request's fields when the log holds them).
    /// </summary>
    private static Dictionary<string, double> Recompute(Replay replay, EntityPlan entity, LoggedVector vector)
    {
        var values = new double[entity.ValueCount];
        replay.Evaluate(entity, vector.EntityId, vector.AsOfMs, vector.RequestAmount, values,
            vector.Request is { } scored ? FeatureEngine.RequestFieldsOf(scored) : null);
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        var stored = new double[entity.Features.Count];
        FeatureEngine.CopyFeatures(entity, values, stored);
        for (var i = 0; i < stored.Length; i++)
            result[entity.Features[i].Name] = stored[i];
        if (vector.RequestAmount is not null)
        {
            var request = entity.RequestValues(values);
            for (var i = 0; i < request.Length; i++)
                result[entity.RequestFeatures[i].Name] = request[i];
        }

        return result;
    }

    /// <summary>
    /// How much of the accepted history the check holds. Sequences from the first kept to the last are all present;
    /// an event before them is lost (retention deleted it), and its time is at most the earliest time after it plus the
    /// allowed lateness: it was accepted before those events, when the watermark was at least its time, and each of
    /// them was no older than that watermark minus the lateness.
    /// </summary>
    private sealed class Coverage(long last, long lostBefore)
    {
        public static Coverage Of(Dictionary<long, long> times, long latenessMs)
        {
            var last = times.Count == 0 ? 0 : times.Keys.Max();
            var first = last;
            while (first > 1 && times.ContainsKey(first - 1))
                first--;
            var lostBefore = long.MinValue;
            if (first > 1)
                lostBefore = times.Where(p => p.Key >= first).Min(p => p.Value) + latenessMs;
            return new Coverage(last, lostBefore);
        }

        /// <summary>Whether every event the vector's windows could hold is in the history.</summary>
        public bool Covers(EntityPlan entity, LoggedVector vector)
        {
            if (vector.LogSequence > last)
                return false;
            var lookback = entity.LongestLookbackMs;
            return lostBefore == long.MinValue || vector.AsOfMs - lookback > lostBefore;
        }
    }

    private sealed class Tally
    {
        private readonly Dictionary<(string Entity, string Feature), long[]> _features = [];
        private readonly List<(string Entity, string Feature)> _order = [];
        private readonly List<ConsistencyMismatch> _examples = [];

        public Tally(FeaturePlan plan)
        {
            foreach (var entity in plan.Entities)
            {
                foreach (var feature in entity.Features.Concat(entity.RequestFeatures))
                    Of(entity.Name, feature.Name);
            }
        }

        public long MismatchedVectors { get; private set; }

        public IReadOnlyList<ConsistencyMismatch> Examples => _examples;

        public void Missing(LoggedVector vector)
        {
            for (var i = 0; i < vector.Names.Count; i++)
            {
                if (vector.Values[i] is not null)
                    Of(vector.Entity, vector.Names[i])[2]++;
            }
        }

        public void Compare(LoggedVector vector, Dictionary<string, double> recomputed)
        {
            var mismatched = false;
            var served = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < vector.Names.Count; i++)
            {
                if (vector.Values[i] is not { } value)
                    continue;
                var name = vector.Names[i];
                served.Add(name);
                var counts = Of(vector.Entity, name);
                if (!recomputed.TryGetValue(name, out var expected))
                {
                    counts[2]++;
                    continue;
                }

                counts[0]++;
                if (BitConverter.DoubleToInt64Bits(value) == BitConverter.DoubleToInt64Bits(expected))
                    continue;
                counts[1]++;
                mismatched = true;
                if (_examples.Count < ExampleLimit)
                    _examples.Add(new ConsistencyMismatch(vector, name, value, expected));
            }

            foreach (var name in recomputed.Keys)
            {
                if (!served.Contains(name))
                    Of(vector.Entity, name)[3]++;
            }

            if (mismatched)
                MismatchedVectors++;
        }

        public IReadOnlyList<FeatureConsistency> Features() => _order
            .Select(k => (Key: k, Counts: _features[k]))
            .Select(p => new FeatureConsistency(p.Key.Entity, p.Key.Feature, p.Counts[0], p.Counts[1], p.Counts[2], p.Counts[3]))
            .ToArray();

        /// <summary>Compared, mismatches, missing, extra.</summary>
        private long[] Of(string entity, string feature)
        {
            if (!_features.TryGetValue((entity, feature), out var counts))
            {
                _features[(entity, feature)] = counts = new long[4];
                _order.Add((entity, feature));
            }

            return counts;
        }
    }
}
