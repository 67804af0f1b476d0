using Amlfs.Registry;
using Amlfs.Registry.Expressions;

namespace Amlfs.Engine;

/// <summary>
/// Evaluates an entity's features as of a time q from its stored state, without mutating it: every
/// <see cref="RangeSlot"/> aggregates the events from its start (found by binary search) to q; tiled windows add their
/// whole tiles; distinct counts hash the fingerprints of their range. Safe against a concurrent writer (see <see cref="EntityState"/>).
/// </summary>
internal static class EntityEvaluator
{
    /// <summary>Each reading thread's calendar for the local hour of q (it caches the zone's offset per hour).</summary>
    [ThreadStatic]
    private static LocalCalendar? _threadCalendar;

    /// <summary>
    /// Fills aggregates and derived features of <paramref name="values"/> (length plan.ValueCount). Returns the
    /// entity's log sequence read consistently with them (0 for no state): the values are those of exactly the
    /// entity's events with sequences up to it. Graph aggregations are evaluated after the others
    /// (<see cref="GraphSearch"/>), from the entity's state and, when they read other accounts, from
    /// <paramref name="neighbours"/>; <paramref name="hash"/> is the fingerprint of the entity's id.
    /// </summary>
    public static long Evaluate(EntityPlan plan, EntityState? state, ulong hash, long q, Span<double> values, in ExpressionScope scope,
        INeighbourStates? neighbours)
    {
        values.Clear();
        long sequence = 0;
        if (state is not null)
            sequence = plan.Aggregates.Length > 0 ? EvaluateAggregates(plan, state, q, values) : ReadSequence(state);
        if (plan.GraphAggregates.Length > 0)
            GraphSearch.Evaluate(plan, state, hash, q, neighbours, values);
        var derived = plan.Derived;
        foreach (var j in plan.DerivedOrder)
            values[j] = derived[j].Evaluate(values, scope);
        return sequence;
    }

    private static long ReadSequence(EntityState state)
    {
        var spinner = default(SpinWait);
        while (true)
        {
            var version = state.Version;
            if ((version & 1) == 0)
            {
                var sequence = Volatile.Read(ref state.LogSequence);
                if (state.Validate(version))
                    return sequence;
            }

            spinner.SpinOnce();
        }
    }

    /// <summary>Adds the request features to values already evaluated by <see cref="Evaluate"/>.</summary>
    public static void EvaluateRequest(EntityPlan plan, Span<double> values, in ExpressionScope scope)
    {
        var request = plan.Request;
        for (var r = 0; r < request.Length; r++)
            values[plan.RequestValue(r)] = request[r].Evaluate(values, scope);
    }

    private static long EvaluateAggregates(EntityPlan plan, EntityState state, long q, Span<double> values)
    {
        var rangeSlots = plan.Ranges;
        Span<long> starts = stackalloc long[rangeSlots.Length];
        Span<WindowAggregate> ranges = stackalloc WindowAggregate[rangeSlots.Length];
        var minStart = q;
        for (var r = 0; r < rangeSlots.Length; r++)
        {
            starts[r] = rangeSlots[r].Start(q);
            minStart = Math.Min(minStart, starts[r]);
        }

        var queryHour = plan.NeedsQueryHour ? LocalHour(plan.TimeZone, q) : -1;
        var spinner = default(SpinWait);
        while (true)
        {
            var version = state.Version;
            if ((version & 1) != 0)
            {
                spinner.SpinOnce();
                continue;
            }

            ReadOnce(plan, state, q, minStart, starts, ranges, values, queryHour);
            var sequence = Volatile.Read(ref state.LogSequence);
            if (state.Validate(version))
                return sequence;
            spinner.SpinOnce();
        }
    }

    private static void ReadOnce(EntityPlan plan, EntityState state, long q, long minStart,
        ReadOnlySpan<long> starts, Span<WindowAggregate> ranges, Span<double> values, int queryHour)
    {
        var events = state.Events;
        var fingerprints = state.Fingerprints;
        var k = state.FieldCount;
        var first = Math.Clamp(state.First, 0, events.Length);
        var end = Math.Clamp(first + state.Count, first, events.Length);
        if (k > 0)
            end = Math.Min(end, fingerprints.Length / k);
        first = Math.Min(first, end);
        var lo = LowerBound(events, first, end, minStart);
        var hi = LowerBound(events, lo, end, q);

        ranges.Clear();
        var rangeSlots = plan.Ranges;
        var needsAll = plan.RangeNeedsAll;
        Span<int> rangeLo = stackalloc int[rangeSlots.Length];
        for (var r = 0; r < rangeSlots.Length; r++)
        {
            // Each range is a suffix [rangeLo, hi) of the scanned events; the common case, no filter and only a count
            // and a sum, is a count of indices and one tight loop over amounts.
            var from = rangeLo[r] = LowerBound(events, lo, hi, starts[r]);
            ref var range = ref ranges[r];
            var filter = rangeSlots[r].Filter;
            if (plan.RangePassesAll[r] && !needsAll[r])
            {
                long sum = 0;
                for (var i = from; i < hi; i++)
                    sum += events[i].AmountCents;
                range.Count = hi - from;
                range.Sum = sum;
                continue;
            }

            for (var i = from; i < hi; i++)
            {
                ref readonly var e = ref events[i];
                if (!filter.Matches(e.LocalHour, e.LocalDay, e.AmountCents, e.IsInflow))
                    continue;
                if (needsAll[r])
                    range.Add(e.TimeMs, e.AmountCents);
                else
                    range.AddCountAndSum(e.AmountCents);
            }
        }

        var aggregates = plan.Aggregates;
        for (var a = 0; a < aggregates.Length; a++)
        {
            var spec = aggregates[a];
            var r = plan.AggregateRange[a];
            long distinct = 0;
            var aggregate = ranges[r];
            if (AggregationNames.SearchesGraph(spec.Kind))
            {
                continue; // evaluated after the read, with the neighbours' states
            }
            else if (spec.Kind == AggregationKind.DistinctCount)
            {
                distinct = EventScan.DistinctCount(rangeSlots[r].Filter, events, fingerprints, k, plan.AggregateDistinctField[a],
                    rangeLo[r], hi);
            }
            else if (AggregationNames.ScansEvents(spec.Kind))
            {
                var from = rangeLo[r];
                var windowFrom = spec.LookbackMs > 0 ? LowerBound(events, from, hi, q - spec.WindowMs) : from;
                values[plan.AggregateValue(a)] = EventScan.Value(spec, events, fingerprints, k, plan.AggregateDistinctField[a],
                    from, windowFrom, hi, queryHour);
                continue;
            }
            else if (spec.IsTiled)
            {
                aggregate = default;
                if (state.Tiles.Length > plan.AggregateTile[a] && state.Tiles[plan.AggregateTile[a]] is { } log)
                {
                    var from = RangeSlot.FloorTo(q - spec.WindowMs, spec.HopMs);
                    TileLog.MergeRange(log.Starts, log.Tiles, log.First, log.Count, from, starts[r], ref aggregate);
                }

                aggregate.Merge(ranges[r]);
            }

            values[plan.AggregateValue(a)] = AggregateMath.Value(spec.Kind, aggregate, distinct);
        }
    }

    private static int LocalHour(TimeZoneInfo zone, long q)
    {
        var calendar = _threadCalendar;
        if (calendar is null || !ReferenceEquals(calendar.Zone, zone))
            _threadCalendar = calendar = new LocalCalendar(zone);
        return calendar.Local(q).Hour;
    }

    /// <summary>First index in [from, to) whose time is at or after <paramref name="timeMs"/>.</summary>
    internal static int LowerBound(CompactEvent[] events, int from, int to, long timeMs)
    {
        var lo = from;
        var hi = to;
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            if (events[mid].TimeMs < timeMs)
                lo = mid + 1;
            else
                hi = mid;
        }

        return lo;
    }
}
