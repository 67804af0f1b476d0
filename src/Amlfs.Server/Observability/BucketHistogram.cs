namespace Amlfs.Server.Observability;

/// <summary>
/// A Prometheus histogram of non-negative values (durations, scores): cumulative buckets rendered at scrape, recorded
/// lock-free; the sum is kept in millionths.
/// </summary>
internal sealed class BucketHistogram(double[] bounds)
{
    /// <summary>Request durations: 50 us to 5 s, because this API answers in tens of microseconds when healthy.</summary>
    public static readonly double[] LatencyBounds =
        [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    /// <summary>Scoring durations: 1 us to 10 ms (a model and its explanation take microseconds).</summary>
    public static readonly double[] ScoringBounds =
        [0.000001, 0.0000025, 0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.01];

    /// <summary>Risk scores in [0, 1]: tenths, with the tail split finer where alerts are decided.</summary>
    public static readonly double[] ScoreBounds = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1];

    private readonly long[] _counts = new long[bounds.Length + 1];
    private long _sumMicros;

    public IReadOnlyList<double> Bounds => bounds;

    /// <summary>A histogram of request durations (<see cref="LatencyBounds"/>).</summary>
    public static BucketHistogram ForLatency() => new(LatencyBounds);

    public void Record(double value)
    {
        var i = 0;
        while (i < bounds.Length && value > bounds[i])
            i++;
        Interlocked.Increment(ref _counts[i]);
        Interlocked.Add(ref _sumMicros, (long)(value * 1e6));
    }

    /// <summary>Counts per bucket (not cumulative; the last is +Inf), the total and the sum in seconds.</summary>
    public (long[] Buckets, long Count, double SumSeconds) Read()
    {
        var buckets = new long[_counts.Length];
        long count = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            buckets[i] = Volatile.Read(ref _counts[i]);
            count += buckets[i];
        }

        return (buckets, count, Volatile.Read(ref _sumMicros) / 1e6);
    }
}
