using Amlfs.Registry.Expressions;

namespace Amlfs.Engine;

/// <summary>
/// One partition of a <see cref="PartitionedReplay"/>: a shard of its own, fed the accepted events of the entities that
/// hash to the partition in time order, answering those entities' rows as each row's instant is reached, once every
/// event visible to it (<see cref="Replay.IsVisible"/>) has been applied. Events after the last row are never applied:
/// nothing could read them.
/// </summary>
internal sealed class ReplayPartition(
    FeaturePlan plan,
    EngineOptions options,
    ReplayQuery query,
    ReplayHistory history,
    CompactEvent[] events,
    string?[] keys,
    ulong[] keyHashes,
    ulong[][] fieldHashes,
    int[] eventList,
    int[] rowList,
    ulong[] rowHashes,
    double[] output)
{
    private const int ProgressStep = 1 << 14;
    private const int PrefetchDistance = 4;
    private const int Ring = 16; // power of two, above 3 x PrefetchDistance

    /// <summary>Work a partition does, to schedule large ones first.</summary>
    public long Size => eventList.Length + rowList.Length;

    public void Run(IProgress<long>? progress)
    {
        var entity = query.Entity;
        // Rows come in time order and each reads after every event before it: nothing reads the past, so the shard
        // keeps no query history, only what the windows need, and entities stay small.
        var shard = new FeatureShard(plan, options with { QueryHistoryMs = 0 });
        var times = history.TimesMs;
        var width = query.Width;
        var featureMap = entity.FeatureValue;
        var values = new double[entity.ValueCount];
        var ring = new ShardMessage[Ring];
        var built = 0; // messages built into the ring: positions below this one
        var next = 0; // the next position of eventList to apply
        var reported = 0L;
        var done = 0L;

        foreach (var row in rowList)
        {
            var q = query.AsOfMs[row];
            while (next < eventList.Length && Replay.IsVisible(times[eventList[next]], q))
            {
                // Memory latency dominates, as on the shard threads: fetch the slot, state and arrays ahead.
                var horizon = Math.Min(eventList.Length, next + 3 * PrefetchDistance + 1);
                while (built < horizon)
                {
                    Build(ref ring[built & (Ring - 1)], eventList[built]);
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

            var id = query.EntityIds[row];
            var amount = query.RequestAmounts?[row];
            var scope = new ExpressionScope(q, amount);
            var state = shard.Find(entity.Index, id, rowHashes[row]);
            EntityEvaluator.Evaluate(entity, state, q, values, scope);
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

        // Events after the last row count as done: nothing reads them.
        progress?.Report(eventList.Length - next + done - reported);
        return;

        void Build(ref ShardMessage message, int i)
        {
            message.EntityId = keys[i]!;
            message.EntityHash = keyHashes[i];
            message.Entity = entity.Index;
            message.Event = events[i];
            for (var f = 0; f < fieldHashes.Length; f++)
                message.Fingerprints[f] = fieldHashes[f][i];
        }
    }
}
