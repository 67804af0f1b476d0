using Amlfs.Registry;

namespace Amlfs.Engine;

/// <summary>
/// Replay mode for large histories: the same admission gate, shards and evaluator as <see cref="FeatureEngine"/>,
/// partitioned by entity across cores. An entity's features depend only on the events of that entity, so each (entity
/// type, partition) pair runs an independent shard fed only the events of its entities, in event-time order, and
/// answers only its entities' rows; the partitions share nothing but read-only columns, and each row's values are
/// written by exactly one partition.
/// <para>
/// Semantics are those of the online engine fed the history in the order it was admitted (time order, or the
/// history's <see cref="ReplayHistory.AdmissionOrder"/>), with no clock: the engine's own admission gate decides every
/// transaction first (a transaction id repeated within the dedup retention is a duplicate, an event older than the
/// watermark minus the allowed lateness is late; in time order none is), and a row as of q then sees exactly the
/// accepted events before q (<see cref="Replay.IsVisible"/>), whatever order they arrived in.
/// </para>
/// <para>
/// An entity type whose graph features read other accounts' states (<see cref="EntityPlan.ReadsNeighbours"/>) is the
/// exception: its features depend on other entities of the type, so all of them run in one partition, which applies
/// every accepted event of the type, and its searches find the neighbours in that partition's shard as the engine's
/// find them in its shards.
/// </para>
/// </summary>
public static class PartitionedReplay
{
    private const int Chunk = 1 << 16;

    /// <summary>
    /// Evaluates every row of every query. Returns one array per query, row-major (<c>rows x query.Width</c>).
    /// <paramref name="progress"/>, when given, receives increments of work done (thread-safe required); their sum
    /// reaches <see cref="WorkUnits"/>.
    /// </summary>
    /// <param name="plan">The compiled definitions; every query's entity must come from it.</param>
    /// <param name="options">Engine options: the dedup retention and query history apply; shard settings do not.</param>
    /// <param name="history">The history, in event-time order.</param>
    /// <param name="queries">The rows to evaluate, one query per entity type at most once each or more.</param>
    /// <param name="parallelism">Threads to use; partitions are scheduled on them.</param>
    /// <param name="progress">Receives increments of work done, from any thread.</param>
    public static PartitionedReplayResult Run(
        FeaturePlan plan, EngineOptions options, ReplayHistory history, IReadOnlyList<ReplayQuery> queries,
        int parallelism, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        foreach (var query in queries)
        {
            if (query.Entity.Index >= plan.Entities.Count || !ReferenceEquals(plan.Entities[query.Entity.Index], query.Entity))
                throw new ArgumentException($"query entity '{query.Entity.Name}' is not from this plan", nameof(queries));
            if (query.AsOfMs.Length != query.EntityIds.Length || (query.RequestAmounts is { } a && a.Length != query.EntityIds.Length)
                || (query.Requests is { } r && (r.Length != query.EntityIds.Length || query.RequestAmounts is null || r.Any(p => (uint)p >= (uint)history.Count))))
                throw new ArgumentException($"query of '{query.Entity.Name}': every column needs one value per row, and requests need amounts and history positions", nameof(queries));
            if (FieldsRead(query.Entity).Any(f => history.Field(f) is null && (f == query.Entity.JoinKey || history.FieldFingerprints(f) is null))
                || (query.Entity.Definition.Inflows && history.Field(TransactionField.MerchantId) is null))
                throw new ArgumentException($"the history lacks a column that '{query.Entity.Name}' features read", nameof(history));
        }

        var n = history.Count;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = parallelism };
        var statuses = Admit(history, options, parallel);
        var hashes = new Dictionary<TransactionField, ulong[]>();
        foreach (var field in queries.SelectMany(q => FieldsRead(q.Entity)).Distinct())
            hashes[field] = history.FieldFingerprints(field) ?? Hash(history.Field(field)!, parallel);

        // More partitions than threads: each shard's entities fit the caches better, and threads balance the load.
        var manyPartitions = Math.Max(4, parallelism * 4);
        var work = new List<ReplayPartition>();
        var results = new double[queries.Count][];
        for (var q = 0; q < queries.Count; q++)
        {
            var query = queries[q];
            var whole = query.Entity.ReadsNeighbours;
            var partitions = whole ? 1 : manyPartitions;
            results[q] = new double[(long)query.EntityIds.Length * query.Width];
            Prefault.Populate(results[q], parallelism);
            var events = new ReplayEvents(plan, query.Entity, history, hashes);
            var keyHashes = hashes[query.Entity.JoinKey];
            var eventLists = Split(n, i => statuses[i] == IngestStatus.Accepted && keyHashes[i] != 0, i => keyHashes[i], partitions, parallel);
            progress?.Report(n - eventLists.Sum(l => (long)l.Length)); // events of no entity of this type
            if (events.HasInflows)
            {
                var inflowHashes = hashes[TransactionField.MerchantId];
                var inflowLists = Split(n, i => statuses[i] == IngestStatus.Accepted && events.IsTransfer(i), i => inflowHashes[i],
                    partitions, parallel, i => i | ReplayEvents.InflowFlag);
                Parallel.For(0, partitions, parallel, p => eventLists[p] = Merge(eventLists[p], inflowLists[p]));
            }

            var rowHashes = Hash(query.EntityIds, parallel);
            var order = RowOrder(query.AsOfMs);
            var rowLists = Split(order.Length, k => rowHashes[order[k]] != 0, k => rowHashes[order[k]], partitions, parallel, k => order[k]);
            for (var p = 0; p < partitions; p++)
            {
                work.Add(new ReplayPartition(plan, options, query, events, eventLists[p], rowLists[p], rowHashes, results[q], applyAll: whole));
            }

            // Rows that name no entity read as unknown whatever the history holds: a partition of their own, fed nothing.
            var unnamed = order.Where(row => rowHashes[row] == 0).ToArray();
            if (unnamed.Length > 0)
                work.Add(new ReplayPartition(plan, options, query, events, [], unnamed, rowHashes, results[q], applyAll: false));
        }

        // Largest first, so the last partitions to start are short ones.
        var scheduled = work.OrderByDescending(w => w.Size).ToArray();
        Parallel.ForEach(scheduled, parallel, partition => partition.Run(progress));
        return new PartitionedReplayResult(results, statuses);
    }

    /// <summary>
    /// The string fields a replay of <paramref name="entity"/> reads: its join key, its distinct-count fields (the
    /// counterparty as the customer and merchant ids) and, for an entity with inflows, the destination's id.
    /// </summary>
    public static IReadOnlyList<TransactionField> FieldsRead(EntityPlan entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var fields = entity.DistinctFields.Prepend(entity.JoinKey).Where(f => f != TransactionField.CounterpartyId).ToList();
        if (entity.DistinctFields.Contains(TransactionField.CounterpartyId))
            fields.AddRange([TransactionField.CustomerId, TransactionField.MerchantId]);
        if (entity.Definition.Inflows)
            fields.Add(TransactionField.MerchantId);
        return [.. fields.Distinct()];
    }

    /// <summary>
    /// One partition's outflow and inflow references in time order (history position order); a transfer of an
    /// account to itself is its outflow first, as the engine routes it.
    /// </summary>
    private static int[] Merge(int[] outflows, int[] inflows)
    {
        if (inflows.Length == 0)
            return outflows;
        var merged = new int[outflows.Length + inflows.Length];
        int a = 0, b = 0, k = 0;
        while (a < outflows.Length && b < inflows.Length)
            merged[k++] = outflows[a] <= ReplayEvents.Position(inflows[b]) ? outflows[a++] : inflows[b++];
        outflows.AsSpan(a).CopyTo(merged.AsSpan(k));
        inflows.AsSpan(b).CopyTo(merged.AsSpan(k + outflows.Length - a));
        return merged;
    }

    /// <summary>The total of the increments <see cref="Run"/> reports for these queries: one per history event per query, one per row.</summary>
    public static long WorkUnits(ReplayHistory history, IReadOnlyList<ReplayQuery> queries)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(queries);
        return queries.Sum(q => (long)history.Count + q.EntityIds.Length);
    }

    /// <summary>
    /// The admission gate's decision on each transaction, in column order, taken in the history's admission order by
    /// the engine's own gate (<see cref="AdmissionGate"/>, without a clock). Only ids that occur more than once need
    /// the gate's id table: they are found first, in parallel, by splitting the ids by fingerprint into many small
    /// buckets, each copied out contiguously and scanned with a table that fits the caches (one table for every id, or
    /// reading the ids where they lie, would miss the caches and the TLB on nearly every lookup). The scan compares 64
    /// bits of each fingerprint: an id that only seems to recur costs the gate a lookup and changes no decision. The
    /// gate then runs once over the history, sequentially, with a table of those ids alone.
    /// </summary>
    private static IngestStatus[] Admit(ReplayHistory history, EngineOptions options, ParallelOptions parallel)
    {
        const int BucketBits = 10;
        var n = history.Count;
        var ids = history.TransactionIdFingerprints;
        if (ids is null)
        {
            var computed = new UInt128[n];
            Parallel.For(0, (n + Chunk - 1) / Chunk, parallel, c =>
            {
                var end = Math.Min(n, (c + 1) * Chunk);
                for (var i = c * Chunk; i < end; i++)
                    computed[i] = Fingerprint.Of128(history.TransactionIds[i]!);
            });
            ids = computed;
        }

        var chunks = (n + Chunk - 1) / Chunk;
        var counts = new int[chunks, 1 << BucketBits];
        Parallel.For(0, chunks, parallel, c =>
        {
            var end = Math.Min(n, (c + 1) * Chunk);
            for (var i = c * Chunk; i < end; i++)
                counts[c, BucketOf(ids[i])]++;
        });

        // Bucket b holds its positions chunk by chunk: starts[c, b] is where chunk c writes.
        var starts = new int[chunks, 1 << BucketBits];
        var bucketStart = new int[(1 << BucketBits) + 1];
        var offset = 0;
        for (var b = 0; b < 1 << BucketBits; b++)
        {
            bucketStart[b] = offset;
            for (var c = 0; c < chunks; c++)
            {
                starts[c, b] = offset;
                offset += counts[c, b];
            }
        }

        bucketStart[1 << BucketBits] = offset;
        var positions = new int[n];
        var keys = new ulong[n];
        Prefault.Populate(positions, parallel.MaxDegreeOfParallelism);
        Prefault.Populate(keys, parallel.MaxDegreeOfParallelism);
        Parallel.For(0, chunks, parallel, c =>
        {
            var end = Math.Min(n, (c + 1) * Chunk);
            for (var i = c * Chunk; i < end; i++)
            {
                var k = starts[c, BucketOf(ids[i])]++;
                positions[k] = i;
                keys[k] = (ulong)ids[i];
            }
        });

        var recurs = new bool[n];
        Prefault.Populate(recurs, parallel.MaxDegreeOfParallelism);
        var recurring = new int[1 << BucketBits];
        Parallel.For(0, 1 << BucketBits, parallel, () => new RecurringKeys(), (b, _, table) =>
        {
            var from = bucketStart[b];
            var bucket = keys.AsSpan(from, bucketStart[b + 1] - from);
            table.Reset(bucket.Length);
            foreach (var key in bucket)
                table.Add(key);
            for (var k = 0; k < bucket.Length; k++)
            {
                if (table.Recurs(bucket[k]))
                {
                    recurs[positions[from + k]] = true;
                    recurring[b]++;
                }
            }

            return table;
        }, _ => { });

        var gate = new AdmissionGate(options with { ExpectedTransactions = Math.Max(1, recurring.Sum()) }, clock: null);
        var statuses = new IngestStatus[n];
        Prefault.Populate(statuses, parallel.MaxDegreeOfParallelism);
        var times = history.TimesMs;
        var order = history.AdmissionOrder;
        for (var k = 0; k < n; k++)
        {
            var i = order is null ? k : order[k];
            statuses[i] = gate.Admit(times[i], ids[i], recurs[i]);
        }

        return statuses;

        static int BucketOf(UInt128 id) => (int)((ulong)(id >> 64) >> (64 - BucketBits));
    }

    /// <summary>
    /// 64-bit keys of one bucket and whether each was added more than once: open addressing, reused from bucket to
    /// bucket. The two lowest bits of a slot hold its state (01 added once, 11 more than once, 00 empty), so keys that
    /// differ only there count as one: a false recurrence, which the gate resolves.
    /// </summary>
    private sealed class RecurringKeys
    {
        private ulong[] _slots = new ulong[1024];
        private int _mask = 1023;

        public void Reset(int keys)
        {
            var capacity = 1024;
            while (capacity < keys * 2L)
                capacity <<= 1;
            if (capacity > _slots.Length)
                _slots = new ulong[capacity];
            else
                Array.Clear(_slots, 0, capacity);
            _mask = capacity - 1;
        }

        public void Add(ulong key)
        {
            ref var slot = ref Slot(key);
            slot = slot == 0 ? (key & ~3ul) | 1 : slot | 3;
        }

        public bool Recurs(ulong key) => (Slot(key) & 3) == 3;

        /// <summary>The key's slot, or the empty slot where it would go.</summary>
        private ref ulong Slot(ulong key)
        {
            var tag = key & ~3ul;
            var i = (int)(key >> 2) & _mask;
            while (true)
            {
                ref var slot = ref _slots[i];
                if (slot == 0 || (slot & ~3ul) == tag)
                    return ref slot;
                i = (i + 1) & _mask;
            }
        }
    }

    private static ulong[] Hash(string?[] values, ParallelOptions parallel)
    {
        var hashes = new ulong[values.Length];
        Parallel.For(0, (values.Length + Chunk - 1) / Chunk, parallel, c =>
        {
            var end = Math.Min(values.Length, (c + 1) * Chunk);
            for (var i = c * Chunk; i < end; i++)
                hashes[i] = Fingerprint.Of(values[i]);
        });
        return hashes;
    }

    /// <summary>Row indices by as-of time, ties in row order.</summary>
    private static int[] RowOrder(long[] asOfMs) => StableOrder.ByTime(asOfMs) ?? Enumerable.Range(0, asOfMs.Length).ToArray();

    /// <summary>
    /// Splits positions 0..n-1 that pass <paramref name="include"/> into one list per partition (the partition of a
    /// hash is the shard the engine would pick for it), keeping their order; <paramref name="value"/> maps a
    /// position to what the list holds. Chunks are counted, then placed, in parallel.
    /// </summary>
    private static int[][] Split(int n, Func<int, bool> include, Func<int, ulong> hash, int partitions, ParallelOptions parallel,
        Func<int, int>? value = null)
    {
        var chunks = (n + Chunk - 1) / Chunk;
        var counts = new int[chunks, partitions];
        Parallel.For(0, chunks, parallel, c =>
        {
            var end = Math.Min(n, (c + 1) * Chunk);
            for (var i = c * Chunk; i < end; i++)
            {
                if (include(i))
                    counts[c, PartitionOf(hash(i), partitions)]++;
            }
        });

        // Partition p holds its positions chunk by chunk: counts[c, p] becomes where chunk c writes.
        var lists = new int[partitions][];
        for (var p = 0; p < partitions; p++)
        {
            var total = 0;
            for (var c = 0; c < chunks; c++)
                (counts[c, p], total) = (total, total + counts[c, p]);
            lists[p] = new int[total];
            Prefault.Populate(lists[p], parallel.MaxDegreeOfParallelism);
        }

        Parallel.For(0, chunks, parallel, c =>
        {
            var end = Math.Min(n, (c + 1) * Chunk);
            for (var i = c * Chunk; i < end; i++)
            {
                if (!include(i))
                    continue;
                var p = PartitionOf(hash(i), partitions);
                lists[p][counts[c, p]++] = value is null ? i : value(i);
            }
        });
        return lists;

        static int PartitionOf(ulong hash, int partitions) => (int)((hash >> 32) % (uint)partitions);
    }
}
