namespace Amlfs.Consistency;

/// <summary>What <see cref="ConsistencyCheck"/> found.</summary>
public sealed record ConsistencyReport
{
    /// <summary>Logged vectors read.</summary>
    public required long Vectors { get; init; }

    /// <summary>Vectors recomputed from the offline history (the others are <see cref="MissingVectors"/>).</summary>
    public required long Recomputed { get; init; }

    /// <summary>Recomputed vectors with at least one mismatched value.</summary>
    public required long MismatchedVectors { get; init; }

    /// <summary>Mismatched values, over every feature.</summary>
    public long Mismatches => Features.Sum(f => f.Mismatches);

    /// <summary>Served values that could not be recomputed, over every feature.</summary>
    public long Missing => Features.Sum(f => f.Missing);

    /// <summary>Recomputed values absent from their logged vector, over every feature.</summary>
    public long Extra => Features.Sum(f => f.Extra);

    /// <summary>
    /// Vectors whose history is not all in the offline store (it does not reach their log sequence, or retention
    /// dropped events that their windows could hold), or whose entity type the definitions no longer have.
    /// </summary>
    public required long MissingVectors { get; init; }

    /// <summary>
    /// Vectors served before an event with an earlier time arrived (accepted within the allowed lateness): correct
    /// when served, and recomputed without that event, but a replay by event time alone would see it. This is the
    /// skew between serving and training data that out-of-order arrival causes.
    /// </summary>
    public required long ServedBeforeLateArrivals { get; init; }

    /// <summary>
    /// Of <see cref="ServedBeforeLateArrivals"/>, the vectors whose served values a replay by event time alone (what a
    /// training set built afterwards holds for that instant) contradicts: the training/serving skew in vectors.
    /// </summary>
    public required long ChangedByLateArrivals { get; init; }

    /// <summary>Vectors served but never logged because the logger's buffer was full (as the log files record it).</summary>
    public required long Dropped { get; init; }

    /// <summary>Accepted transactions read from the offline store and the write-ahead log, duplicates removed.</summary>
    public required long HistoryEvents { get; init; }

    /// <summary>Per feature, in plan order (stored, then request features), then features only the log knows.</summary>
    public required IReadOnlyList<FeatureConsistency> Features { get; init; }

    /// <summary>The first mismatches found (at most a handful), to start an investigation from.</summary>
    public required IReadOnlyList<ConsistencyMismatch> Examples { get; init; }
}
