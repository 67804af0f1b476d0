using System.Numerics;

namespace Amlfs.Server.Observability;

/// <summary>
/// How long the requests of one route took, for the dashboard's p50 and p99: a log-linear histogram of stopwatch ticks
/// (eight buckets per power of two, so a bucket is at most 12.5 % wide), recorded lock-free and without allocating by
/// the request middleware, and read once a second by the sampler, which takes the difference between two reads.
/// </summary>
internal sealed class RouteLatency(string route)
{
    private const int SubBuckets = 8;
    private const int SubBucketBits = 3;

    private readonly long[] _counts = new long[64 * SubBuckets];

    /// <summary>The route pattern timed, as the endpoint spells it (<c>/predict</c>).</summary>
    public string Route => route;

    /// <summary>Counts a request of <see cref="Route"/> that took <paramref name="elapsedTicks"/>; other routes are ignored.</summary>
    public void Record(string requestRoute, long elapsedTicks)
    {
        if (string.Equals(requestRoute, route, StringComparison.Ordinal))
            Interlocked.Increment(ref _counts[Bucket(elapsedTicks)]);
    }

    /// <summary>Copies the counts so far into <paramref name="counts"/> (at least <see cref="BucketCount"/> long).</summary>
    public void Read(long[] counts)
    {
        for (var i = 0; i < _counts.Length; i++)
            counts[i] = Volatile.Read(ref _counts[i]);
    }

    public int BucketCount => _counts.Length;

    /// <summary>The bucket of a duration in ticks: below 8 ticks one per tick, then 8 per power of two.</summary>
    public static int Bucket(long ticks)
    {
        if (ticks < SubBuckets)
            return (int)Math.Max(ticks, 0);
        var octave = BitOperations.Log2((ulong)ticks);
        var sub = (int)(ticks >> (octave - SubBucketBits)) & (SubBuckets - 1);
        return ((octave - SubBucketBits + 1) * SubBuckets) + sub;
    }

    /// <summary>The middle of bucket <paramref name="bucket"/>, in ticks.</summary>
    public static double Middle(int bucket)
    {
        if (bucket < SubBuckets)
            return bucket;
        var octave = (bucket / SubBuckets) + SubBucketBits - 1;
        var sub = bucket % SubBuckets;
        var width = 1L << (octave - SubBucketBits);
        var low = (1L << octave) + (sub * width);
        return low + (width / 2.0);
    }

    /// <summary>
    /// The <paramref name="quantile"/> of the requests counted between two reads (<paramref name="now"/> minus
    /// <paramref name="before"/>), in ticks; null when none was.
    /// </summary>
    public static double? Quantile(long[] before, long[] now, long total, double quantile)
    {
        if (total <= 0)
            return null;
        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        long seen = 0;
        for (var i = 0; i < now.Length; i++)
        {
            seen += now[i] - before[i];
            if (seen >= rank)
                return Middle(i);
        }

        return null;
    }
}
