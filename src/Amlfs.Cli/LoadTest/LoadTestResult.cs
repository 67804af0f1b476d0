using HdrHistogram;

namespace Amlfs.Cli.LoadTest;

/// <summary>Every connection's figures merged after a run.</summary>
internal sealed class LoadTestResult
{
    public LoadTestResult(IReadOnlyList<ConnectionStats> connections, double elapsedSeconds, int connects)
    {
        ElapsedSeconds = elapsedSeconds;
        Connects = connects;
        foreach (var stats in connections)
        {
            Latency.Add(stats.Latency);
            Requests += stats.Requests;
            WarmupRequests += stats.WarmupRequests;
            Successes += stats.Successes;
            Unsent += stats.Unsent;
            foreach (var (kind, count) in stats.Errors)
                Errors[kind] = Errors.GetValueOrDefault(kind) + count;
        }
    }

    /// <summary>Latencies of successful answers after the warmup, in microseconds.</summary>
    public LongHistogram Latency { get; } = new(ConnectionStats.MaxLatencyMicroseconds, 3);

    public long Requests { get; }

    public long WarmupRequests { get; }

    public long Successes { get; }

    public long Unsent { get; }

    public long ErrorCount => Requests - Successes;

    public SortedDictionary<string, long> Errors { get; } = new(StringComparer.Ordinal);

    /// <summary>From the end of the warmup until the last answer.</summary>
    public double ElapsedSeconds { get; }

    /// <summary>TCP connections opened, reconnections included.</summary>
    public int Connects { get; }

    /// <summary>Successful answers per second.</summary>
    public double RequestsPerSecond => ElapsedSeconds > 0 ? Successes / ElapsedSeconds : 0;

    /// <summary>The latency at <paramref name="percentile"/> (0 to 100) in milliseconds; 0 without any answer.</summary>
    public double PercentileMs(double percentile) =>
        Latency.TotalCount == 0 ? 0 : Latency.GetValueAtPercentile(percentile) / 1_000.0;

    public double MaxMs => Latency.TotalCount == 0 ? 0 : Latency.GetMaxValue() / 1_000.0;
}
