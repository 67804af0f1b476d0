using Amlfs.Registry;

namespace Amlfs.Engine;

/// <summary>
/// The one function that turns exact aggregates into feature values (contract rule 4). Money values are in currency
/// units (cents / 100); times in milliseconds since the epoch; every value of an empty window is 0 (rule 9). Online,
/// offline and the test reference all call this, so they agree to the bit.
/// </summary>
public static class AggregateMath
{
    /// <summary>The feature value of an aggregation given the exact aggregates of its window.</summary>
    public static double Value(
        AggregationKind kind, long count, long sumCents, Int128 sumOfSquares, long minCents, long maxCents,
        long firstMs, long lastMs, long distinct) => kind switch
        {
            _ when count == 0 => 0,
            AggregationKind.Count => count,
            AggregationKind.Sum => Money(sumCents),
            AggregationKind.Avg => Average(sumCents, count),
            AggregationKind.Min => Money(minCents),
            AggregationKind.Max => Money(maxCents),
            AggregationKind.StdDev => SampleStdDev(count, sumCents, sumOfSquares),
            AggregationKind.DistinctCount => distinct,
            AggregationKind.FirstTime => firstMs,
            AggregationKind.LastTime => lastMs,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };

    /// <summary>Cents to currency units, correctly rounded to the nearest double.</summary>
    public static double Money(long cents) => cents / 100.0;

    public static double Average(long sumCents, long count) => count == 0 ? 0 : sumCents / (count * 100.0);

    /// <summary>
    /// Sample standard deviation from exact sums: <c>sqrt((n Σx² - (Σx)²) / (n (n - 1)))</c>, with the numerator
    /// computed exactly in 128-bit integers, so adding and expiring events can never make it drift or go negative.
    /// </summary>
    public static double SampleStdDev(long count, long sumCents, Int128 sumOfSquares)
    {
        if (count < 2)
            return 0;
        var numerator = count * sumOfSquares - (Int128)sumCents * sumCents;
        if (numerator <= 0)
            return 0;
        var variance = (double)numerator / ((double)count * (count - 1));
        return Math.Sqrt(variance) / 100.0;
    }

    internal static double Value(AggregationKind kind, in WindowAggregate a, long distinct) =>
        Value(kind, a.Count, a.Sum, a.SumOfSquares, a.Min, a.Max, a.First, a.Last, distinct);
}
