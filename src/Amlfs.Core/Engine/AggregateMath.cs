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

    /// <summary>Shannon entropy in bits of a histogram (hours 0-23), summed in bucket order; 0 when empty.</summary>
    public static double Entropy(ReadOnlySpan<long> counts)
    {
        long total = 0;
        foreach (var c in counts)
            total += c;
        if (total == 0)
            return 0;
        var entropy = 0.0;
        foreach (var c in counts)
        {
            if (c == 0)
                continue;
            var p = (double)c / total;
            entropy -= p * Math.Log2(p);
        }

        return entropy == 0 ? 0 : entropy; // never -0
    }

    /// <summary>A share of a count, 0 when the count is 0.</summary>
    public static double Share(long part, long count) => count == 0 ? 0 : (double)part / count;

    /// <summary>
    /// Coefficient of variation of gaps from their exact sums: sample standard deviation over mean; 0 below two gaps
    /// or when the gaps sum to 0.
    /// </summary>
    public static double CoefficientOfVariation(long gaps, long gapSum, Int128 gapSumOfSquares)
    {
        if (gaps < 2 || gapSum <= 0)
            return 0;
        var numerator = gaps * gapSumOfSquares - (Int128)gapSum * gapSum;
        if (numerator <= 0)
            return 0;
        var deviation = Math.Sqrt((double)numerator / ((double)gaps * (gaps - 1)));
        return deviation / ((double)gapSum / gaps);
    }

    /// <summary>
    /// Least-squares slope of amounts over time from exact sums (times in ms relative to any origin, amounts in cents),
    /// in currency units per hour; 0 below two distinct times.
    /// </summary>
    public static double Slope(long count, Int128 sumT, Int128 sumTT, long sumCents, Int128 sumTCents)
    {
        if (count < 2)
            return 0;
        var denominator = count * sumTT - sumT * sumT;
        if (denominator <= 0)
            return 0;
        var numerator = count * sumTCents - sumT * sumCents;
        var slope = (double)numerator / (double)denominator * 3_600_000 / 100;
        return slope == 0 ? 0 : slope;
    }

    /// <summary>Herfindahl index: the sum of squared parts over the squared whole; 0 when the whole is 0.</summary>
    public static double Concentration(Int128 sumOfSquaredParts, Int128 whole) =>
        whole == 0 ? 0 : (double)sumOfSquaredParts / ((double)whole * (double)whole);

    /// <summary>
    /// Whether an amount lies more than <paramref name="thresholdSd"/> sample standard deviations from the mean of the
    /// window it belongs to, given the window's exact count, sum and sum of squares (cents). Compared without a square
    /// root or a division: <c>|x - mean| > k sd</c> is <c>(n x - S)² (n - 1) > k² n (n Q - S²)</c>. Never below two
    /// events, nor when every amount is equal (the deviation is then 0).
    /// </summary>
    public static bool IsOutlier(long count, long sumCents, Int128 sumOfSquares, long amountCents, double thresholdSd)
    {
        if (count < 2)
            return false;
        var spread = count * sumOfSquares - (Int128)sumCents * sumCents;
        if (spread <= 0)
            return false;
        var deviation = (double)((Int128)count * amountCents - sumCents);
        return deviation * deviation * (count - 1) > thresholdSd * thresholdSd * count * (double)spread;
    }

    internal static double Value(AggregationKind kind, in WindowAggregate a, long distinct) =>
        Value(kind, a.Count, a.Sum, a.SumOfSquares, a.Min, a.Max, a.First, a.Last, distinct);
}
