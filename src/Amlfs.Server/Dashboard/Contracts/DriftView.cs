namespace Amlfs.Server.Dashboard.Contracts;

/// <summary>
/// The drift section of the model page: whether the population stability indexes of the active model are computed
/// (<see cref="Status"/>, and why not when they are not), the sliding day they cover and how many decisions it holds,
/// the score's PSI and every input's, largest first, each with its usual reading.
/// </summary>
internal sealed record DriftView
{
    /// <summary>The rules decide: they were not trained, so there is no training distribution to compare with.</summary>
    public const string Rules = "rules";

    /// <summary>The learned model was stored without training distributions (trained before they were stored).</summary>
    public const string NoReference = "no_reference";

    /// <summary>This process takes no decisions (a replica, or streaming decisions off), so it sees no live distribution.</summary>
    public const string NoDecisions = "no_decisions";

    /// <summary>The day holds fewer decisions than an index needs.</summary>
    public const string Collecting = "collecting";

    /// <summary>The indexes are computed.</summary>
    public const string Ready = "computed";

    /// <summary>One of <see cref="Rules"/>, <see cref="NoReference"/>, <see cref="NoDecisions"/>, <see cref="Collecting"/>, <see cref="Ready"/>.</summary>
    public required string Status { get; init; }

    public required bool Computed { get; init; }

    public DateTimeOffset? ComputedAt { get; init; }

    public string? ModelVersion { get; init; }

    /// <summary>Decisions counted in the sliding day.</summary>
    public long? Decisions { get; init; }

    /// <summary>Decisions the day must hold before the indexes are computed.</summary>
    public long? MinimumDecisions { get; init; }

    /// <summary>The event-time hours the sliding day covers: from the start of its oldest to the end of its newest.</summary>
    public DateTimeOffset? DayStart { get; init; }

    public DateTimeOffset? DayEnd { get; init; }

    public double? ScorePsi { get; init; }

    /// <summary>stable, moderate or significant.</summary>
    public string? ScoreBand { get; init; }

    public required IReadOnlyList<FeatureDrift> Features { get; init; }
}
