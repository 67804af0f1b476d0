namespace Amlfs.Server.Observability;

/// <summary>
/// A Prometheus histogram of request durations: cumulative buckets rendered at scrape, recorded lock-free. Bounds run
/// from 50 us to 5 s because this API answers in tens of microseconds when healthy.
/// </summary>
internal sealed class LatencyHistogram
{
    public static readonly double[] BoundsSeconds =
        [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    private readonly long[] _counts = new long[BoundsSeconds.Length + 1];
    private long _sumMicros;

    public void Record(double seconds)
    {
        var i = 0;
        while (i < BoundsSeconds.Length && seconds > BoundsSeconds[i])
            i++;
        Interlocked.Increment(ref _counts[i]);
        Interlocked.Add(ref _sumMicros, (long)(seconds * 1e6));
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
