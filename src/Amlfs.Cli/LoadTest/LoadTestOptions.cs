using System.Globalization;

namespace Amlfs.Cli.LoadTest;

/// <summary>What <c>amlfs loadtest</c> sends to <c>POST /predict</c>, over how many connections and for how long.</summary>
internal sealed record LoadTestOptions
{
    public required Uri Url { get; init; }

    /// <summary>The API key every request carries; null sends none (a server run with <c>--auth off</c>).</summary>
    public string? ApiKey { get; init; }

    public int Connections { get; init; } = 50;

    /// <summary>How long requests are measured, after the warmup.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Target requests per second over all connections; 0 runs a closed loop.</summary>
    public double Rate { get; init; }

    /// <summary>How long requests are sent before any is measured.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Distinct pre-encoded request bodies, sent in turn.</summary>
    public int RequestsPool { get; init; } = 10_000;

    /// <summary>How long a request may wait for its answer before it counts as a timeout.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    public long Seed { get; init; } = 42;

    /// <summary>Threads driving the connections, each its share; 0 runs one per core.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Clients of the dashboard's live stream opened <see cref="StreamAfter"/> into the measured duration and read until
    /// the end, so that the run measures <c>/predict</c> without the dashboard and then with it; 0 opens none.
    /// </summary>
    public int StreamClients { get; init; }

    /// <summary>When, after the warmup, the stream clients open; null for half the duration, or one cycle with a cycle.</summary>
    public TimeSpan? StreamAfter { get; init; }

    /// <summary>
    /// With stream clients: how long they stay open, then closed, in turn from <see cref="StreamAfter"/> on, so that the
    /// phases with and without them alternate; zero keeps them open to the end once opened.
    /// </summary>
    public TimeSpan StreamCycle { get; init; }

    /// <summary>The threads a run uses: <see cref="Threads"/>, or one per core, and never more than the connections.</summary>
    public int ThreadCount => Math.Min(Connections, Threads > 0 ? Threads : Environment.ProcessorCount);

    /// <summary>When the stream clients first open, after the warmup; null when the run opens none.</summary>
    public TimeSpan? Split => StreamClients > 0 ? StreamAfter ?? (StreamCycle > TimeSpan.Zero ? StreamCycle : Duration / 2) : null;

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Url.Scheme != Uri.UriSchemeHttp)
            problems.Add($"--url must be a plain http:// address: the load generator does not speak TLS, got '{Url}'");
        if (Connections is < 1 or > 10_000)
            problems.Add(Describe("--concurrent must be between 1 and 10,000", Connections));
        if (Duration <= TimeSpan.Zero)
            problems.Add(Describe("--duration must be a positive number of seconds", Duration.TotalSeconds));
        if (!double.IsFinite(Rate) || Rate < 0)
            problems.Add(Describe("--rate must be 0 (closed loop) or a positive number of requests per second", Rate));
        if (Warmup < TimeSpan.Zero)
            problems.Add(Describe("--warmup must be 0 or a positive number of seconds", Warmup.TotalSeconds));
        if (RequestsPool is < 1 or > 1_000_000)
            problems.Add(Describe("--requests-pool must be between 1 and 1,000,000", RequestsPool));
        if (Threads is < 0 or > 1_000)
            problems.Add(Describe("--threads must be 0 (one per core) or between 1 and 1,000", Threads));
        if (Timeout <= TimeSpan.Zero)
            problems.Add(Describe("--timeout must be a positive number of seconds", Timeout.TotalSeconds));
        if (StreamClients is < 0 or > 1_000)
            problems.Add(Describe("--stream-clients must be between 0 and 1,000", StreamClients));
        if ((StreamAfter is not null || StreamCycle != TimeSpan.Zero) && StreamClients == 0)
            problems.Add("--stream-after and --stream-cycle need --stream-clients: they say when the dashboard's stream clients are open");
        else if (StreamAfter is { } at && (at <= TimeSpan.Zero || at >= Duration))
            problems.Add(Describe("--stream-after must be more than 0 and less than --duration, in seconds", at.TotalSeconds));
        else if (StreamCycle < TimeSpan.Zero || (StreamCycle > TimeSpan.Zero && Split is { } first && first + StreamCycle > Duration))
            problems.Add(Describe("--stream-cycle must be 0 or a number of seconds that fits after --stream-after within --duration", StreamCycle.TotalSeconds));
        return problems;
    }

    private static string Describe(string rule, object value) => string.Create(CultureInfo.InvariantCulture, $"{rule}, got {value}");
}
