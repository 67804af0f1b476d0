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
    /// (<see cref="GraphSearch"/>), from the entity's state read at the same sequence (an event applied in between
    /// makes the whole evaluation start again) and, when they read other accounts, from <paramref name="neighbours"/>,
    /// each added to <paramref name="reads"/> when given; <paramref name="hash"/> is the fingerprint of the entity's id.
    /// </summary>
    /// <remarks>
    /// With a <paramref name="selection"/>, only the values it holds are evaluated (the others are NaN); without one,
    /// every value is.
    /// </remarks>
    public static long Evaluate(EntityPlan plan, EntityState? state, ulong hash, long q, Span<double> values, in ExpressionScope scope,
        INeighbourStates? neighbours, List<NeighbourRead>? reads = null, EntitySelection? selection = null)
    {
        selection ??= plan.Everything;
        long sequence;
        while (true)
        {
            values.Clear();
            reads?.Clear();
            sequence = 0;
            if (state is not null)
                sequence = plan.Aggregates.Length > 0 ? EvaluateAggregates(plan, selection, state, q, values, scope.Request) : ReadSequence(state);
            else if (scope.Request is { } request)
                NeverSeen(plan, selection, values, request);
            if (!selection.Graph || GraphSearch.Evaluate(plan, state, hash, q, neighbours, values, reads) == sequence)
                break;
        }

        var derived = plan.Derived;
        foreach (var j in selection.DerivedOrder)
            values[j] = derived[j].Evaluate(values, scope);
        selection.MarkUnevaluated(values);
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

    /// <summary>Adds the request features (those of <paramref name="selection"/>) to values already evaluated by <see cref="Evaluate"/>.</summary>
    public static void EvaluateRequest(EntityPlan plan, Span<double> values, in ExpressionScope scope, EntitySelection? selection = null)
    {
        var request = plan.Request;
        var selected = (selection ?? plan.Everything).Request;
        for (var r = 0; r < request.Length; r++)
        {
            if (selected[r])
                values[plan.RequestValue(r)] = request[r].Evaluate(values, scope);
        }
    }

    private static long EvaluateAggregates(EntityPlan plan, EntitySelection selection, EntityState state, long q, Span<double> values, RequestFields? request)
    {
        var rangeSlots = plan.Ranges;
        Span<long> starts = stackalloc long[rangeSlots.Length];
        Span<WindowAggregate> ranges = stackalloc WindowAggregate[rangeSlots.Length];
        var minStart = q;
        for (var r = 0; r < rangeSlots.Length; r++)
        {
            starts[r] = rangeSlots[r].Start(q);
            if (selection.Ranges[r])
                minStart = Math.Min(minStart, starts[r]);
        }

        var queryHour = selection.NeedsQueryHour ? LocalHour(plan.TimeZone, q) : -1;
        var spinner = default(SpinWait);
        while (true)
        {
            var version = state.Version;
            if ((version & 1) != 0)
            {
                spinner.SpinOnce();
                continue;
            }

            ReadOnce(plan, selection, state, q, minStart, starts, ranges, values, queryHour, request);
            var sequence = Volatile.Read(ref state.LogSequence);
            if (state.Validate(version))
                return sequence;
            spinner.SpinOnce();
        }
    }

    private static void ReadOnce(EntityPlan plan, EntitySelection selection, EntityState state, long q, long minStart,
        ReadOnlySpan<long> starts, Span<WindowAggregate> ranges, Span<double> values, int queryHour, RequestFields? request)
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
        var selectedRanges = selection.Ranges;
        for (var r = 0; r < rangeSlots.Length; r++)
        {
            if (!selectedRanges[r])
                continue;
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
        var selected = selection.Aggregates;
        for (var a = 0; a < aggregates.Length; a++)
        {
            if (!selected[a])
                continue;
            var spec = aggregates[a];
            if (plan.AggregateSeen[a] >= 0)
            {
                values[plan.AggregateValue(a)] = request is null ? 0
                    : SeenValue(plan, state, a, events, fingerprints, k, first, hi, q, request);
                continue;
            }

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

    /// <summary>
    /// The value of an aggregation compared with the request (<c>first_seen</c>, <c>last_seen_time</c>): the latest time
    /// in <c>[q - W, q)</c> of the entity's events with the request's value of the field that pass the filter, from the
    /// raw events <c>[first, hi)</c> (newest first) and from what the seen family remembers of the events that left them.
    /// </summary>
    private static double SeenValue(EntityPlan plan, EntityState state, int a, CompactEvent[] events, ulong[] fingerprints, int k,
        int first, int hi, long q, RequestFields request)
    {
        var spec = plan.Aggregates[a];
        var field = plan.AggregateDistinctField[a];
        var value = RequestValue(plan, a, request);
        if (value == 0)
            return 0; // a request without the value: nothing to compare
        var from = q - spec.WindowMs;
        var latest = long.MinValue;
        for (var i = hi - 1; i >= first && events[i].TimeMs >= from; i--)
        {
            ref readonly var e = ref events[i];
            if (fingerprints[i * k + field] == value && spec.Filter.Matches(e.LocalHour, e.LocalDay, e.AmountCents, e.IsInflow))
            {
                latest = e.TimeMs;
                break;
            }
        }

        var family = plan.AggregateSeen[a];
        if (state.Seen.Length > family && state.Seen[family]?.Latest(value) is { } remembered && remembered >= from && remembered < q)
            latest = Math.Max(latest, remembered);
        var seen = latest != long.MinValue;
        return spec.Kind == AggregationKind.FirstSeen ? (seen ? 0 : 1) : (seen ? latest : 0);
    }

    /// <summary>The aggregations compared with the request of an entity without state: every value of the request is new.</summary>
    private static void NeverSeen(EntityPlan plan, EntitySelection selection, Span<double> values, RequestFields request)
    {
        for (var a = 0; a < plan.Aggregates.Length; a++)
        {
            if (selection.Aggregates[a] && plan.Aggregates[a].Kind == AggregationKind.FirstSeen && RequestValue(plan, a, request) != 0)
                values[plan.AggregateValue(a)] = 1;
        }
    }

    /// <summary>
    /// The request's value of aggregate <paramref name="a"/>'s field as the entity's events store it (0 when the request
    /// has none): for the counterparty, the other end of the request's edge as this entity type sees an outflow.
    /// </summary>
    private static ulong RequestValue(EntityPlan plan, int a, RequestFields request)
    {
        var field = plan.Aggregates[a].Field!.Value;
        return field == TransactionField.CounterpartyId
            ? EdgeEnds.Counterparty(plan.JoinKey, inflow: false, request.Destination,
                request.Fingerprint(TransactionField.CustomerId), request.Fingerprint(TransactionField.MerchantId))
            : request.Fingerprint(field);
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
