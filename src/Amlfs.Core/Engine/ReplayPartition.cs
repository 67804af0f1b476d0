using Amlfs.Registry.Expressions;

namespace Amlfs.Engine;

/// <summary>
/// One partition of a <see cref="PartitionedReplay"/>: a shard of its own, fed the accepted events of the entities that
/// hash to the partition in time order, answering those entities' rows as each row's instant is reached, once every
/// event visible to it (<see cref="Replay.IsVisible"/>) has been applied. Only events that some row reads are applied:
/// an event at t is read only by a row of its entity at a q with t &lt; q &lt;= t + the longest span, raw or tiled, whose
/// filter it passes (<see cref="EntityPlan.LookbackMs"/>); without the others the entity's state differs only by events
/// no read reaches, and an empty window reads as 0 whether the entity has a state or none. Events are converted to
/// the form entities store (<see cref="CompactEvent"/>, with their local hour and day) only when needed. With
/// <paramref name="applyAll"/> (an entity type whose graph searches read other entities' states) every event is
/// applied, since a row reads its neighbours' events too.
/// </summary>
internal sealed class ReplayPartition(
    FeaturePlan plan,
    EngineOptions options,
    ReplayQuery query,
    ReplayEvents events,
    int[] eventList,
    int[] rowList,
    ulong[] rowHashes,
    double[] output,
    bool applyAll)
{
    private const int ProgressStep = 1 << 14;
    private const int PrefetchDistance = 4;
    private const int Ring = 16; // power of two, above 3 x PrefetchDistance

    /// <summary>Work a partition does, to schedule large ones first.</summary>
    public long Size => eventList.Length + rowList.Length;

    public void Run(IProgress<long>? progress)
    {
        var entity = query.Entity;
        var first = applyAll ? 0 : KeepEventsRead();
        ReadOnlySpan<int> applied = eventList.AsSpan(first);
        progress?.Report(first); // events no row reads count as done
        // Rows come in time order and each reads after every event before it: nothing reads the past, so the shard
        // keeps no query history, only what the windows need, and entities stay small.
        var shard = new FeatureShard(plan, options with { QueryHistoryMs = 0 });
        var width = query.Width;
        var featureMap = entity.FeatureValue;
        var values = new double[entity.ValueCount];
        var ring = new ShardMessage[Ring];
        var built = 0; // messages built into the ring: positions below this one
        var next = 0; // the next position of eventList to apply
        var reported = 0L;
        var done = 0L;

        for (var j = 0; j < rowList.Length; j++)
        {
            var row = rowList[j];
            var q = query.AsOfMs[row];
            while (next < applied.Length && Replay.IsVisible(events.TimeMs(applied[next]), q))
            {
                // Memory latency dominates, as on the shard threads: fetch the slot, state and arrays ahead.
                var horizon = Math.Min(applied.Length, next + 3 * PrefetchDistance + 1);
                while (built < horizon)
                {
                    events.Build(ref ring[built & (Ring - 1)], applied[built]);
                    shard.Prefetch(ring[built & (Ring - 1)], 3);
                    built++;
                }

                if (next + 2 * PrefetchDistance < built)
                    shard.Prefetch(ring[(next + 2 * PrefetchDistance) & (Ring - 1)], 2);
                if (next + PrefetchDistance < built)
                    shard.Prefetch(ring[(next + PrefetchDistance) & (Ring - 1)], 1);
                shard.Apply(ring[next & (Ring - 1)]);
                next++;
                if (++done - reported >= ProgressStep)
                {
                    progress?.Report(done - reported);
                    reported = done;
                }
            }

            // Reads miss the caches as writes do: fetch the slots, states and arrays of the next rows ahead.
            for (var stage = 1; stage <= 3; stage++)
            {
                if (j + stage * PrefetchDistance < rowList.Length)
                    shard.Prefetch(entity.Index, rowHashes[rowList[j + stage * PrefetchDistance]], stage);
            }

            var id = query.EntityIds[row];
            var amount = query.RequestAmounts?[row];
            // An entity the request does not name (no IP) has nothing to compare with the request: no request fields.
            var request = query.Requests is { } requests && id is not null ? events.RequestFieldsOf(requests[row]) : null;
            var scope = new ExpressionScope(q, amount, request);
            var state = id is null ? null : shard.Find(entity.Index, id, rowHashes[row]);
            EntityEvaluator.Evaluate(entity, state, rowHashes[row], q, values, scope, shard);
            var target = output.AsSpan((int)((long)row * width), width);
            for (var f = 0; f < featureMap.Length; f++)
                target[f] = values[featureMap[f]];
            if (amount is not null)
            {
                EntityEvaluator.EvaluateRequest(entity, values, scope);
                entity.RequestValues(values).CopyTo(target[featureMap.Length..]);
            }

            done++;
        }

        progress?.Report(applied.Length - next + done - reported);
    }

    /// <summary>
    /// Moves the events that some row reads to the end of <c>eventList</c>, in order, and returns where they start:
    /// those with a row of their entity at a q with t &lt; q &lt;= t + the event's lookback. One backward pass remembers
    /// each entity's next row time by hash; two entities of one hash share an entry, which can only keep more events.
    /// </summary>
    private int KeepEventsRead()
    {
        var entity = query.Entity;
        var longest = entity.LongestLookbackMs;
        var asOf = query.AsOfMs;
        var nextRow = new NextRows();
        var k = eventList.Length;
        var r = rowList.Length - 1;
        for (var e = eventList.Length - 1; e >= 0; e--)
        {
            if (e >= PrefetchDistance)
                events.Prefetch(eventList[e - PrefetchDistance]);

            var reference = eventList[e];
            var t = events.TimeMs(reference);
            for (; r >= 0 && asOf[rowList[r]] > t; r--)
                nextRow.Set(rowHashes[rowList[r]], asOf[rowList[r]]);
            // k > e: the slot written has been read already.
            var q = nextRow.Get(events.EntityHash(reference));
            if (q - t <= longest && q - t <= entity.LookbackMs(events.Event(reference)))
                eventList[--k] = reference;
        }

        return k;
    }

    /// <summary>
    /// Each entity's next row time by entity hash (never 0): open addressing, growing at half full. An entity without a
    /// row reads as <see cref="long.MaxValue"/>.
    /// </summary>
    private sealed class NextRows
    {
        private ulong[] _hashes = new ulong[1024];
        private long[] _times = new long[1024];
        private int _count;

        public long Get(ulong hash)
        {
            var mask = _hashes.Length - 1;
            for (var slot = (int)hash & mask; ; slot = (slot + 1) & mask)
            {
                if (_hashes[slot] == hash)
                    return _times[slot];
                if (_hashes[slot] == 0)
                    return long.MaxValue;
            }
        }

        public void Set(ulong hash, long time)
        {
            var mask = _hashes.Length - 1;
            var slot = (int)hash & mask;
            while (_hashes[slot] != 0 && _hashes[slot] != hash)
                slot = (slot + 1) & mask;
            if (_hashes[slot] == 0)
            {
                if ((_count + 1) * 2 > _hashes.Length)
                {
                    Grow();
                    Set(hash, time);
                    return;
                }

                _hashes[slot] = hash;
                _count++;
            }

            _times[slot] = time;
        }

        private void Grow()
        {
            var (hashes, times) = (_hashes, _times);
            _hashes = new ulong[hashes.Length * 2];
            _times = new long[hashes.Length * 2];
            _count = 0;
            for (var s = 0; s < hashes.Length; s++)
            {
                if (hashes[s] != 0)
                    Set(hashes[s], times[s]);
            }
        }
    }
}
