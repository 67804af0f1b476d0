using System.Globalization;
using HdrHistogram;

namespace Amlfs.Cli.LoadTest;

/// <summary>
/// What one worker's connections measured, written by its thread alone (no locks on the hot path) and merged after the
/// run. Latencies of successful answers go to an HdrHistogram in microseconds; failures are counted by kind. A run
/// with the dashboard's streams also counts each measured request in its phase: without them or with them.
/// </summary>
internal sealed class ConnectionStats
{
    /// <summary>The longest latency recorded as itself; longer ones are recorded as this.</summary>
    public const long MaxLatencyMicroseconds = 3_600_000_000;

    private readonly long[] _statusCounts = new long[600];
    private readonly Dictionary<string, long> _failures = new(StringComparer.Ordinal);

    /// <param name="phases">Whether the run has two phases, without and with the streams, each counted apart too.</param>
    public ConnectionStats(bool phases = false)
    {
        if (phases)
            Phases = [new PhaseStats(), new PhaseStats()];
    }

    /// <summary>Of a run with streams, the measured requests intended while they were closed, and while they were open; empty otherwise.</summary>
    public IReadOnlyList<PhaseStats> Phases { get; } = [];

    /// <summary>Microseconds, three significant digits: a 1.234 ms latency is told from 1.235 ms.</summary>
    public LongHistogram Latency { get; } = new(MaxLatencyMicroseconds, 3);

    /// <summary>Requests sent (or attempted) after the warmup: answered, failed or timed out.</summary>
    public long Requests { get; private set; }

    /// <summary>Requests sent during the warmup, whatever their outcome; not in any other figure.</summary>
    public long WarmupRequests { get; private set; }

    /// <summary>Requests answered with a 2xx status after the warmup.</summary>
    public long Successes { get; private set; }

    /// <summary>Open loop: requests scheduled before the end that the connection was too far behind to send.</summary>
    public long Unsent { get; set; }

    /// <summary>Errors after the warmup by kind: <c>http_500</c> and so on for answers, or a failure's kind.</summary>
    public IEnumerable<KeyValuePair<string, long>> Errors
    {
        get
        {
            for (var status = 0; status < _statusCounts.Length; status++)
            {
                if (_statusCounts[status] > 0)
                    yield return new(string.Create(CultureInfo.InvariantCulture, $"http_{status}"), _statusCounts[status]);
            }

            foreach (var failure in _failures)
                yield return failure;
        }
    }

    public long ErrorCount => Requests - Successes;

    /// <summary>
    /// An answer with <paramref name="status"/> after <paramref name="latencyMicroseconds"/>; <paramref name="withStreams"/>
    /// when its request was intended while the dashboard's streams were open.
    /// </summary>
    public void RecordAnswer(bool warmup, int status, long latencyMicroseconds, bool withStreams = false)
    {
        if (warmup)
        {
            WarmupRequests++;
            return;
        }

        var phase = Phases.Count > 0 ? Phases[withStreams ? 1 : 0] : null;
        Requests++;
        if (phase is not null)
            phase.Requests++;
        if (status is >= 200 and < 300)
        {
            var latency = Math.Clamp(latencyMicroseconds, 0, MaxLatencyMicroseconds);
            Successes++;
            Latency.RecordValue(latency);
            if (phase is not null)
            {
                phase.Successes++;
                phase.Latency.RecordValue(latency);
            }
        }
        else
        {
            _statusCounts[Math.Clamp(status, 0, _statusCounts.Length - 1)]++;
        }
    }

    /// <summary>A request that got no answer, counted under <paramref name="kind"/>.</summary>
    public void RecordFailure(bool warmup, string kind, bool withStreams = false)
    {
        if (warmup)
        {
            WarmupRequests++;
            return;
        }

        Requests++;
        if (Phases.Count > 0)
            Phases[withStreams ? 1 : 0].Requests++;
        _failures[kind] = _failures.GetValueOrDefault(kind) + 1;
    }
}
