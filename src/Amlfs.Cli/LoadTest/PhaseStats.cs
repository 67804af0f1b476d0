using HdrHistogram;

namespace Amlfs.Cli.LoadTest;

/// <summary>
/// What one phase of a run with the dashboard's streams measured (<see cref="LoadTestOptions.StreamClients"/>: while they
/// are closed, or while they are open): requests by their intended time, successful answers and their latencies.
/// </summary>
internal sealed class PhaseStats
{
    /// <summary>Microseconds, three significant digits, as <see cref="ConnectionStats.Latency"/>.</summary>
    public LongHistogram Latency { get; } = new(ConnectionStats.MaxLatencyMicroseconds, 3);

    public long Requests { get; set; }

    public long Successes { get; set; }

    /// <summary>Adds <paramref name="other"/>'s figures to these.</summary>
    public void Add(PhaseStats other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Latency.Add(other.Latency);
        Requests += other.Requests;
        Successes += other.Successes;
    }
}
