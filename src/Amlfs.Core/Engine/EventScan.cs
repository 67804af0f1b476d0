using System.Buffers;
using System.Numerics;
using Amlfs.Registry;

namespace Amlfs.Engine;

/// <summary>
/// The aggregations computed from a window's events one by one (<see cref="AggregationNames.ScansEvents"/>): each
/// gathers exact integer statistics over the events of <c>[from, to)</c> that pass the filter, in time order, and
/// <see cref="AggregateMath"/> turns them into the value, as the test reference does from its own statistics.
/// </summary>
internal static class EventScan
{
    private const int StackLimit = 512;

    /// <summary>
    /// The value of <paramref name="spec"/> over events <c>[from, to)</c> of a state read consistently by the caller.
    /// <paramref name="windowFrom"/> is where the window starts within the span (a new_distinct_count's lookback
    /// comes before it); <paramref name="queryHour"/> is the local hour of q.
    /// </summary>
    public static double Value(AggregateSpec spec, CompactEvent[] events, ulong[] fingerprints, int k, int field,
        int from, int windowFrom, int to, int queryHour)
    {
        var filter = spec.Filter;
        switch (spec.Kind)
        {
            case AggregationKind.HourEntropy:
                {
                    Span<long> hours = stackalloc long[24];
                    for (var i = windowFrom; i < to; i++)
                    {
                        ref readonly var e = ref events[i];
                        if (Passes(filter, e))
                            hours[e.LocalHour]++;
                    }

                    return AggregateMath.Entropy(hours);
                }

            case AggregationKind.HourShare:
                {
                    long count = 0, same = 0;
                    for (var i = windowFrom; i < to; i++)
                    {
                        ref readonly var e = ref events[i];
                        if (!Passes(filter, e))
                            continue;
                        count++;
                        if (e.LocalHour == queryHour)
                            same++;
                    }

                    return AggregateMath.Share(same, count);
                }

            case AggregationKind.IntervalCv:
                {
                    long gaps = 0, gapSum = 0, previous = long.MinValue;
                    Int128 gapSquares = 0;
                    for (var i = windowFrom; i < to; i++)
                    {
                        ref readonly var e = ref events[i];
                        if (!Passes(filter, e))
                            continue;
                        if (previous != long.MinValue)
                        {
                            var gap = e.TimeMs - previous;
                            gaps++;
                            gapSum += gap;
                            gapSquares += (Int128)gap * gap;
                        }

                        previous = e.TimeMs;
                    }

                    return AggregateMath.CoefficientOfVariation(gaps, gapSum, gapSquares);
                }

            case AggregationKind.AmountTrend:
                {
                    long count = 0, sumCents = 0;
                    Int128 sumT = 0, sumTT = 0, sumTCents = 0;
                    var origin = windowFrom < to ? events[windowFrom].TimeMs : 0;
                    for (var i = windowFrom; i < to; i++)
                    {
                        ref readonly var e = ref events[i];
                        if (!Passes(filter, e))
                            continue;
                        long t = e.TimeMs - origin;
                        count++;
                        sumCents += e.AmountCents;
                        sumT += t;
                        sumTT += (Int128)t * t;
                        sumTCents += (Int128)t * e.AmountCents;
                    }

                    return AggregateMath.Slope(count, sumT, sumTT, sumCents, sumTCents);
                }

            case AggregationKind.OutlierShare:
                return OutlierShare(spec, events, windowFrom, to);

            case AggregationKind.Concentration:
            case AggregationKind.AmountConcentration:
                return Concentration(spec, events, fingerprints, k, field, windowFrom, to);

            case AggregationKind.NewDistinctCount:
                return NewDistinct(filter, events, fingerprints, k, field, from, windowFrom, to);

            default:
                throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, "not an aggregation over single events");
        }
    }

    /// <summary>Distinct non-missing values of a field among events <c>[from, to)</c> that pass the filter.</summary>
    public static long DistinctCount(FeatureFilter filter, CompactEvent[] events, ulong[] fingerprints, int k, int field, int from, int to)
    {
        var capacity = Capacity(to - from);
        ulong[]? rented = null;
        var keys = capacity <= StackLimit ? stackalloc ulong[capacity] : (rented = ArrayPool<ulong>.Shared.Rent(capacity)).AsSpan(0, capacity);
        keys.Clear();
        long distinct = 0;
        for (var i = from; i < to; i++)
        {
            ref readonly var e = ref events[i];
            var fp = fingerprints[i * k + field];
            if (fp == 0 || !Passes(filter, e))
                continue; // a missing value is not counted
            Slot(keys, fp, out var added);
            if (added)
                distinct++;
        }

        if (rented is not null)
            ArrayPool<ulong>.Shared.Return(rented);
        return distinct;
    }

    private static bool Passes(FeatureFilter filter, in CompactEvent e) =>
        filter.PassesAll || filter.Matches(e.LocalHour, e.LocalDay, e.AmountCents, e.IsInflow);

    /// <summary>
    /// The share of the events whose amount is an outlier against the mean and standard deviation of the same events:
    /// one pass for the window's exact sums, one to count the outliers against them.
    /// </summary>
    private static double OutlierShare(AggregateSpec spec, CompactEvent[] events, int from, int to)
    {
        long count = 0, sumCents = 0;
        Int128 squares = 0;
        for (var i = from; i < to; i++)
        {
            ref readonly var e = ref events[i];
            if (!Passes(spec.Filter, e))
                continue;
            count++;
            sumCents += e.AmountCents;
            squares += (Int128)e.AmountCents * e.AmountCents;
        }

        long outliers = 0;
        for (var i = from; i < to && count > 1; i++)
        {
            ref readonly var e = ref events[i];
            if (Passes(spec.Filter, e) && AggregateMath.IsOutlier(count, sumCents, squares, e.AmountCents, spec.ThresholdSd))
                outliers++;
        }

        return AggregateMath.Share(outliers, count);
    }

    /// <summary>Counts, or sums of amounts, per value in an open-addressing table; the Herfindahl index of them.</summary>
    private static double Concentration(AggregateSpec spec, CompactEvent[] events, ulong[] fingerprints, int k, int field, int from, int to)
    {
        var byAmount = spec.Kind == AggregationKind.AmountConcentration;
        var capacity = Capacity(to - from);
        ulong[]? rentedKeys = null;
        long[]? rentedTotals = null;
        var keys = capacity <= StackLimit ? stackalloc ulong[capacity] : (rentedKeys = ArrayPool<ulong>.Shared.Rent(capacity)).AsSpan(0, capacity);
        var totals = capacity <= StackLimit ? stackalloc long[capacity] : (rentedTotals = ArrayPool<long>.Shared.Rent(capacity)).AsSpan(0, capacity);
        keys.Clear();
        totals.Clear();
        long whole = 0;
        for (var i = from; i < to; i++)
        {
            ref readonly var e = ref events[i];
            var fp = fingerprints[i * k + field];
            if (fp == 0 || !Passes(spec.Filter, e))
                continue;
            var part = byAmount ? e.AmountCents : 1;
            totals[Slot(keys, fp, out _)] += part;
            whole += part;
        }

        Int128 squares = 0;
        for (var s = 0; s < capacity; s++)
        {
            if (keys[s] != 0)
                squares += (Int128)totals[s] * totals[s];
        }

        if (rentedKeys is not null)
        {
            ArrayPool<ulong>.Shared.Return(rentedKeys);
            ArrayPool<long>.Shared.Return(rentedTotals!);
        }

        return AggregateMath.Concentration(squares, whole);
    }

    /// <summary>Values in <c>[windowFrom, to)</c> that no event of <c>[from, windowFrom)</c> had.</summary>
    private static double NewDistinct(FeatureFilter filter, CompactEvent[] events, ulong[] fingerprints, int k, int field,
        int from, int windowFrom, int to)
    {
        var capacity = Capacity(to - from);
        ulong[]? rentedKeys = null;
        long[]? rentedMarks = null;
        var keys = capacity <= StackLimit ? stackalloc ulong[capacity] : (rentedKeys = ArrayPool<ulong>.Shared.Rent(capacity)).AsSpan(0, capacity);
        var marks = capacity <= StackLimit ? stackalloc long[capacity] : (rentedMarks = ArrayPool<long>.Shared.Rent(capacity)).AsSpan(0, capacity);
        keys.Clear();
        marks.Clear();
        const long Seen = 1, Counted = 2;
        long fresh = 0;
        for (var i = from; i < to; i++)
        {
            ref readonly var e = ref events[i];
            var fp = fingerprints[i * k + field];
            if (fp == 0 || !Passes(filter, e))
                continue;
            ref var mark = ref marks[Slot(keys, fp, out _)];
            if (i < windowFrom)
            {
                mark = Seen;
            }
            else if (mark == 0)
            {
                mark = Counted;
                fresh++;
            }
        }

        if (rentedKeys is not null)
        {
            ArrayPool<ulong>.Shared.Return(rentedKeys);
            ArrayPool<long>.Shared.Return(rentedMarks!);
        }

        return fresh;
    }

    private static int Capacity(int events) => (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(8, events * 2));

    /// <summary>The slot of a fingerprint (never 0) in a table with room to spare, claimed when new (<paramref name="added"/>).</summary>
    private static int Slot(Span<ulong> keys, ulong fp, out bool added)
    {
        var mask = keys.Length - 1;
        var slot = (int)(fp & (ulong)mask);
        while (keys[slot] != 0 && keys[slot] != fp)
            slot = (slot + 1) & mask;
        added = keys[slot] == 0;
        keys[slot] = fp;
        return slot;
    }
}
