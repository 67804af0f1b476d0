using Amlfs.Engine;
using Amlfs.Registry.Expressions;
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
/// allowed lateness): such a vector is recomputed from the state its entity's events with sequence up to H alone build,
/// evaluated as of q as a replica evaluates a fetched state (<see cref="EntityStateFormat"/>), and counted in <see cref="ConsistencyReport.ServedBeforeLateArrivals"/>, not as a mismatch. No tolerance
/// is applied.
/// </para>
/// <para>
/// A vector of an entity type whose graph searches read other accounts depends on their states too, each as the
/// server read it: the log records every account read with the log sequence of its state (<see cref="LoggedVector.Neighbours"/>),
/// since under concurrent ingestion each may be at another point of the log. Such a vector is recomputed from states
/// rebuilt the same way for exactly those sequences: the entity's own events up to H, and each account's events up to
/// its recorded sequence.
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

        // Only the entities of logged vectors and the accounts their graph searches read matter; their events are all
        // this check keeps in memory.
        var wanted = plan.Entities.Select(_ => new HashSet<string>(StringComparer.Ordinal)).ToArray();
        var neighbours = new NeighbourIds(plan);
        foreach (var vector in vectors)
        {
            if (plan.Entity(vector.Entity) is { } entity)
            {
                wanted[entity.Index].Add(vector.EntityId);
                neighbours.Want(entity, vector);
            }
        }

        var times = new Dictionary<long, long>();
        var events = new List<WalRecord>();
        foreach (var record in history)
        {
            // Sequence 0 is history from before the log (see FeatureEngine.IngestBatch): never repeated by the log.
            if (record.Sequence != 0 && !times.TryAdd(record.Sequence, record.Transaction.TimestampMs))
                continue;
            if (neighbours.Note(record.Transaction) | Touches(plan, wanted, record.Transaction))
                events.Add(record);
        }

        events.Sort(static (a, b) => a.Transaction.TimestampMs != b.Transaction.TimestampMs
            ? a.Transaction.TimestampMs.CompareTo(b.Transaction.TimestampMs)
            : a.Sequence.CompareTo(b.Sequence));
        var coverage = Coverage.Of(times, options.AllowedLatenessMs);

        var tally = new Tally(plan);
        var graph = new List<int>();
        var late = new List<int>();
        long missingVectors = 0;
        long changedByLateArrivals = 0;
        long servedBeforeLateArrivals = 0;
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
                var servedBeforeLate = newestFed[entity.Index].TryGetValue(vector.EntityId, out var newest) && newest > vector.LogSequence;
                if (servedBeforeLate)
                {
                    servedBeforeLateArrivals++;
                    if (Differs(vector, byEventTime))
                        changedByLateArrivals++;
                }

                if (entity.ReadsNeighbours && vector.Neighbours is not null)
                    graph.Add(index);
                else if (servedBeforeLate)
                    late.Add(index);
                else
                    tally.Compare(vector, byEventTime);
            }
        }

        // A vector served before a late arrival, and a graph vector, are recomputed from the states the server read:
        // the entity's events up to H and, for the graph searches, each account's up to the sequence it was read at.
        var states = new StatesAt(plan, options, events);
        foreach (var index in late.Concat(graph))
        {
            var vector = vectors[index];
            var entity = plan.Entity(vector.Entity)!;
            if (vector.Neighbours is not null && !neighbours.Covered(entity, vector, coverage))
            {
                tally.Missing(vector);
                missingVectors++;
                continue;
            }

            tally.Compare(vector, RecomputeFromStates(states, neighbours, entity, vector));
        }

        return new ConsistencyReport
        {
            Vectors = vectors.Count,
            Recomputed = vectors.Count - missingVectors,
            MismatchedVectors = tally.MismatchedVectors,
            MissingVectors = missingVectors,
            ServedBeforeLateArrivals = servedBeforeLateArrivals,
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
        replay.Evaluate(entity, vector.EntityId, vector.AsOfMs, vector.RequestAmount, values, RequestOf(vector));
        return ByName(entity, vector, values);
    }

    /// <summary>
    /// A vector's features from the states the server read, evaluated as a replica evaluates fetched states: the
    /// entity's at its sequence H and, for a graph vector, each account's its searches read at the sequence recorded.
    /// An account the recomputed searches reach that the server's did not read has no state here, and the values then
    /// differ.
    /// </summary>
    private static Dictionary<string, double> RecomputeFromStates(StatesAt states, NeighbourIds ids, EntityPlan entity, LoggedVector vector)
    {
        NeighbourStates? fetched = null;
        if (vector.Neighbours is { } reads)
        {
            fetched = new NeighbourStates(states.Format, entity);
            foreach (var read in reads)
            {
                var state = read.LogSequence == 0 ? null : states.Of(entity, ids.IdOf(entity, read.Fingerprint)!, read.LogSequence);
                fetched.Add(read.Fingerprint, state, null);
            }
        }

        var values = new double[entity.ValueCount];
        var scope = new ExpressionScope(vector.AsOfMs, vector.RequestAmount, RequestOf(vector));
        states.Format.Evaluate(entity, states.Of(entity, vector.EntityId, vector.LogSequence), null, vector.AsOfMs, values, scope, fetched);
        return ByName(entity, vector, values);
    }

    private static RequestFields? RequestOf(LoggedVector vector) =>
        vector.Request is { } scored ? FeatureEngine.RequestFieldsOf(scored) : null;

    private static Dictionary<string, double> ByName(EntityPlan entity, LoggedVector vector, double[] values)
    {
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
    /// The ids of the accounts graph vectors read, known by fingerprint alone: learnt from the history's events, which
    /// are kept when they reach one of them.
    /// </summary>
    private sealed class NeighbourIds(FeaturePlan plan)
    {
        private readonly HashSet<ulong>[] _wanted = plan.Entities.Select(_ => new HashSet<ulong>()).ToArray();
        private readonly Dictionary<ulong, string>[] _ids = plan.Entities.Select(_ => new Dictionary<ulong, string>()).ToArray();

        public void Want(EntityPlan entity, LoggedVector vector)
        {
            if (!entity.ReadsNeighbours || vector.Neighbours is null)
                return;
            foreach (var read in vector.Neighbours)
                _wanted[entity.Index].Add(read.Fingerprint);
        }

        /// <summary>Learns the ids of wanted accounts the transaction reaches; returns whether it reaches one.</summary>
        public bool Note(Transaction transaction)
        {
            var reaches = false;
            foreach (var entity in plan.Entities)
            {
                var wanted = _wanted[entity.Index];
                if (wanted.Count == 0)
                    continue;
                foreach (var id in EdgeEnds.EntityIds(entity.Definition, transaction))
                {
                    var fingerprint = NeighbourStates.FingerprintOf(id);
                    if (wanted.Contains(fingerprint))
                    {
                        _ids[entity.Index].TryAdd(fingerprint, id);
                        reaches = true;
                    }
                }
            }

            return reaches;
        }

        public string? IdOf(EntityPlan entity, ulong fingerprint) => _ids[entity.Index].GetValueOrDefault(fingerprint);

        /// <summary>Whether the history holds every state the vector's searches read: each account with events has a known id.</summary>
        public bool Covered(EntityPlan entity, LoggedVector vector, Coverage coverage) =>
            vector.Neighbours!.All(r => r.LogSequence == 0 || (IdOf(entity, r.Fingerprint) is not null && coverage.Covers(entity, vector with { LogSequence = r.LogSequence })));
    }

    /// <summary>
    /// Entity states rebuilt for a log sequence: the entity's events with sequences up to it (and the history from
    /// before the log), admitted in event-time order by an engine of their own, exported as bytes. Each (entity, id,
    /// sequence) is built once.
    /// </summary>
    private sealed class StatesAt(FeaturePlan plan, EngineOptions options, List<WalRecord> events)
    {
        private readonly Dictionary<(int Entity, string Id, long Sequence), byte[]?> _built = [];

        public EntityStateFormat Format { get; } = new(plan);

        public byte[]? Of(EntityPlan entity, string id, long sequence)
        {
            if (_built.TryGetValue((entity.Index, id, sequence), out var bytes))
                return bytes;
            using var engine = new FeatureEngine(plan, options);
            var own = events.Where(r => r.Sequence <= sequence && EdgeEnds.Reaches(entity.Definition, r.Transaction, id));
            using (var replay = new Replay(engine, own.Select(r => new ReplayEvent(r.Transaction, r.Sequence))))
                replay.FeedRemaining();
            engine.Flush();
            return _built[(entity.Index, id, sequence)] = engine.ExportEntityState(entity, id);
        }
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
