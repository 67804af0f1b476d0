namespace Amlfs.Alerts.Evaluation;

/// <summary>
/// What the system rules read, taken by the host about every second. A signal the host does not have stays null (or
/// out of its map), and a rule on it then does not hold: an unknown is never an alert, and it ends a condition that
/// was holding.
/// </summary>
public sealed record SystemSnapshot
{
    /// <summary>The p99 of <c>/predict</c> durations over the host's recent window, in seconds.</summary>
    public double? PredictP99Seconds { get; init; }

    /// <summary>Wall clock minus the engine's watermark, in seconds.</summary>
    public double? EngineLagSeconds { get; init; }

    /// <summary>Transactions accepted at ingest since the host started (a counter, never decreasing).</summary>
    public long? IngestAccepted { get; init; }

    /// <summary>
    /// Transactions rejected at ingest since the host started (late, future, invalid; a counter). The rejected share over
    /// a rule's window is taken from the growth of the two counters between snapshots.
    /// </summary>
    public long? IngestRejected { get; init; }

    /// <summary>Whether each component is available, by name, such as <c>online_store</c>, <c>kafka</c>, <c>wal</c>.</summary>
    public IReadOnlyDictionary<string, bool> Components { get; init; } = new Dictionary<string, bool>();

    /// <summary>The population stability index of each feature against its training distribution, by feature name.</summary>
    public IReadOnlyDictionary<string, double> FeaturePsi { get; init; } = new Dictionary<string, double>();

    /// <summary>The population stability index of the score against its training distribution.</summary>
    public double? ScorePsi { get; init; }
}
