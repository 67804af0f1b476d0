namespace Amlfs.Registry;

/// <summary>One declared feature. Aggregations set Aggregation, Window and optionally Field, Filter and Hop; derived
/// and request features set Expression, but for request features that aggregate against the request
/// (<c>first_seen</c>, <c>last_seen_time</c>), which set Aggregation, Field and Window.</summary>
public sealed record FeatureDefinition
{
    public required string Name { get; init; }

    /// <summary>The entity the feature describes (customer, merchant, ...).</summary>
    public required string Entity { get; init; }

    /// <summary>The feature view that declares it.</summary>
    public required string View { get; init; }

    public required FeatureKind Kind { get; init; }

    public AggregationKind Aggregation { get; init; }

    /// <summary>The field aggregated (amount for sums, the counted field for distinct counts); null for count and times.</summary>
    public TransactionField? Field { get; init; }

    /// <summary>Window length in milliseconds; windows are half-open <c>[q - W, q)</c>.</summary>
    public long WindowMs { get; init; }

    /// <summary>Tile hop in milliseconds for windows longer than one hour, 0 for exact windows.</summary>
    public long HopMs { get; init; }

    public FeatureFilter Filter { get; init; } = FeatureFilter.None;

    /// <summary>For <c>new_distinct_count</c>: how far before the window a value counts as seen, in milliseconds; else 0.</summary>
    public long LookbackMs { get; init; }

    /// <summary>For a graph aggregation: its search bounds as given (0 where not given), defaults filled in by the plan.</summary>
    public GraphBounds Bounds { get; init; }

    /// <summary>For <c>outlier_share</c>: how many sample standard deviations from the mean make an outlier; else 0.</summary>
    public double ThresholdSd { get; init; }

    /// <summary>Source text of a derived or request feature's expression.</summary>
    public string? Expression { get; init; }

    public string Description { get; init; } = "";

    public string Owner { get; init; } = "";

    /// <summary>The family of its view, for <c>features list</c>: velocity, baseline, counterparty, graph...; "" when not given.</summary>
    public string Family { get; init; } = "";

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>1-based line of the definition in its file, for messages; 0 when built in code.</summary>
    public int Line { get; init; }

    /// <summary>Whether the feature is an aggregation: a stored one, or a request feature aggregated against the request.</summary>
    public bool IsAggregation => Kind == FeatureKind.Aggregation || (Kind == FeatureKind.Request && Expression is null);

    /// <summary>Whether the window is tiled (longer than the exact horizon).</summary>
    public bool IsTiled => HopMs > 0;
}
