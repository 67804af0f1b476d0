using HdrHistogram;

namespace Amlfs.Cli.LoadTest;

/// <summary>Every connection's figures merged after a run, and of a run with the dashboard's streams each phase's and the stream clients'.</summary>
internal sealed class LoadTestResult
{
    /// <param name="connections">Each worker's figures.</param>
    /// <param name="elapsedSeconds">From the end of the warmup until the last answer.</param>
    /// <param name="connects">TCP connections opened.</param>
    /// <param name="streamSeconds">Of a run with the dashboard's streams, the seconds they were open, of <paramref name="elapsedSeconds"/>.</param>
    /// <param name="streams">What each stream client received.</param>
    public LoadTestResult(
        IReadOnlyList<ConnectionStats> connections, double elapsedSeconds, int connects, double? streamSeconds = null, IReadOnlyList<StreamClientResult>? streams = null)
    {
        ElapsedSeconds = elapsedSeconds;
        Connects = connects;
        StreamSeconds = streamSeconds;
        Streams = streams ?? [];
        if (streamSeconds is not null)
        {
            Without = new PhaseStats();
            With = new PhaseStats();
        }

        foreach (var stats in connections)
        {
            if (stats.Phases.Count == 2)
            {
                Without?.Add(stats.Phases[0]);
                With?.Add(stats.Phases[1]);
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

    /// <summary>Of a run with the dashboard's streams, the measured seconds during which they were open; null otherwise.</summary>
    public double? StreamSeconds { get; }

    /// <summary>Of a run with the dashboard's streams, the requests intended while they were closed.</summary>
    public PhaseStats? Without { get; }

    /// <summary>Of a run with the dashboard's streams, the requests intended while they were open.</summary>
    public PhaseStats? With { get; }

    public IReadOnlyList<StreamClientResult> Streams { get; }

    /// <summary>Successful answers per second while the streams were closed.</summary>
    public double? RequestsPerSecondWithout =>
        Without is { } phase && StreamSeconds is { } open && ElapsedSeconds > open ? phase.Successes / (ElapsedSeconds - open) : null;

    /// <summary>Successful answers per second while the streams were open.</summary>
    public double? RequestsPerSecondWith => With is { } phase && StreamSeconds is > 0 and var open ? phase.Successes / open : null;

    /// <summary>Requests per second with the streams over those without: 1 when the dashboard costs nothing.</summary>
    public double? Ratio => RequestsPerSecondWithout is > 0 and var without && RequestsPerSecondWith is { } with ? with / without : null;

    /// <summary>The latency at <paramref name="percentile"/> in milliseconds within one phase; 0 without any answer.</summary>
    public static double PercentileMs(PhaseStats phase, double percentile)
    {
        ArgumentNullException.ThrowIfNull(phase);
        return phase.Latency.TotalCount == 0 ? 0 : phase.Latency.GetValueAtPercentile(percentile) / 1_000.0;
    }
}
