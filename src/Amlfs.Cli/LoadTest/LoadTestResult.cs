using HdrHistogram;

namespace Amlfs.Cli.LoadTest;

/// <summary>Every connection's figures merged after a run, and of a split run each phase's and the stream clients'.</summary>
internal sealed class LoadTestResult
{
    /// <param name="connections">Each worker's figures.</param>
    /// <param name="elapsedSeconds">From the end of the warmup until the last answer.</param>
    /// <param name="connects">TCP connections opened.</param>
    /// <param name="splitSeconds">Of a split run, when the stream clients opened, after the warmup.</param>
    /// <param name="streams">What each stream client received.</param>
    public LoadTestResult(
        IReadOnlyList<ConnectionStats> connections, double elapsedSeconds, int connects, double? splitSeconds = null, IReadOnlyList<StreamClientResult>? streams = null)
    {
        ElapsedSeconds = elapsedSeconds;
        Connects = connects;
        SplitSeconds = splitSeconds;
        Streams = streams ?? [];
        if (splitSeconds is not null)
        {
            Before = new PhaseStats();
            After = new PhaseStats();
        }

        foreach (var stats in connections)
        {
            if (stats.Phases.Count == 2)
            {
                Before?.Add(stats.Phases[0]);
                After?.Add(stats.Phases[1]);
            }

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

    /// <summary>Of a split run, when the stream clients opened, in seconds after the warmup; null otherwise.</summary>
    public double? SplitSeconds { get; }

    /// <summary>Of a split run, the requests intended before the stream clients opened.</summary>
    public PhaseStats? Before { get; }

    /// <summary>Of a split run, the requests intended once the stream clients were open.</summary>
    public PhaseStats? After { get; }

    public IReadOnlyList<StreamClientResult> Streams { get; }

    /// <summary>Successful answers per second before the stream clients opened.</summary>
    public double? RequestsPerSecondBefore => Before is { } b && SplitSeconds is { } s && s > 0 ? b.Successes / s : null;

    /// <summary>Successful answers per second with the stream clients open: from when they opened until the last answer.</summary>
    public double? RequestsPerSecondAfter => After is { } a && SplitSeconds is { } s && ElapsedSeconds > s ? a.Successes / (ElapsedSeconds - s) : null;

    /// <summary>Requests per second with the stream clients open over those before: 1 when the dashboard costs nothing.</summary>
    public double? Ratio => RequestsPerSecondBefore is > 0 and var before && RequestsPerSecondAfter is { } after ? after / before : null;

    /// <summary>The latency at <paramref name="percentile"/> in milliseconds within one phase; 0 without any answer.</summary>
    public static double PercentileMs(PhaseStats phase, double percentile)
    {
        ArgumentNullException.ThrowIfNull(phase);
        return phase.Latency.TotalCount == 0 ? 0 : phase.Latency.GetValueAtPercentile(percentile) / 1_000.0;
    }
}
