namespace Amlfs.Learning.Drift;

/// <summary>
/// The drift of a model over the sliding day as read at <see cref="ComputedAt"/>: how many decisions the day holds and,
/// once they are at least <see cref="MinimumDecisions"/>, the population stability index of the score and of every
/// input (largest first). Below the minimum the indexes are absent: a handful of decisions says more about chance than
/// about drift.
/// </summary>
public sealed record DriftReading
{
    public required DateTimeOffset ComputedAt { get; init; }

    /// <summary>Decisions counted in the day.</summary>
    public required long Decisions { get; init; }

    /// <summary>Decisions the day must hold before the indexes are computed.</summary>
    public required long MinimumDecisions { get; init; }

    /// <summary>The start of the oldest hour the day covers (by event time); null before any decision.</summary>
    public DateTimeOffset? DayStart { get; init; }

    /// <summary>The end of the newest hour the day covers (by event time); null before any decision.</summary>
    public DateTimeOffset? DayEnd { get; init; }

    /// <summary>The score's PSI; null below the minimum.</summary>
    public double? ScorePsi { get; init; }

    /// <summary>Every input's PSI, the largest first; empty below the minimum.</summary>
    public required IReadOnlyList<InputDrift> Inputs { get; init; }

    /// <summary>Whether the indexes were computed (the day holds enough decisions).</summary>
    public bool Computed => ScorePsi is not null;
}
