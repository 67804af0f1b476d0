namespace Amlfs.Registry;

/// <summary>
/// A feature in the words its definitions file uses: how <c>amlfs features list --format json</c> and
/// <c>GET /registry/features</c> describe it. Aggregation, field, window, hop and filter are null for derived and
/// request features; hop is null for exact windows; expression is null for aggregations.
/// </summary>
public sealed record FeatureDescription
{
    public required string Name { get; init; }

    public required string Entity { get; init; }

    public required string View { get; init; }

    /// <summary>The family of the feature's view; null when the view names none.</summary>
    public string? Family { get; init; }

    /// <summary>aggregation, derived or request.</summary>
    public required string Kind { get; init; }

    public string? Aggregation { get; init; }

    public string? Field { get; init; }

    public string? Window { get; init; }

    public string? Hop { get; init; }

    public string? Filter { get; init; }

    /// <summary>inflow or both for an aggregation over an account's received transfers; null for outflows, the default.</summary>
    public string? Direction { get; init; }

    /// <summary>For <c>outlier_share</c>: the standard deviations from the mean that make an outlier; else null.</summary>
    public double? ThresholdSd { get; init; }

    /// <summary>For <c>cycle_count</c>: the most transfers a cycle may take (the definition's or the default); else null.</summary>
    public int? MaxHops { get; init; }

    /// <summary>For <c>cycle_count</c> and <c>scatter_gather</c>: the most states of other accounts one evaluation expands; else null.</summary>
    public int? MaxVisits { get; init; }

    /// <summary>For the ego-network aggregations: the most neighbours the ego network keeps; else null.</summary>
    public int? MaxNeighbours { get; init; }

    public string? Expression { get; init; }

    public required string Description { get; init; }

    public required string Owner { get; init; }

    public required IReadOnlyList<string> Tags { get; init; }

    public static FeatureDescription Of(FeatureDefinition feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        var isAggregation = feature.IsAggregation;
        var bounds = isAggregation && AggregationNames.SearchesGraph(feature.Aggregation)
            ? GraphSearchRules.Resolve(feature.Aggregation, feature.Bounds, [])
            : GraphBounds.None;
        return new FeatureDescription
        {
            Name = feature.Name,
            Entity = feature.Entity,
            View = feature.View,
            Family = feature.Family.Length == 0 ? null : feature.Family,
            Kind = feature.Kind switch
            {
                FeatureKind.Aggregation => "aggregation",
                FeatureKind.Derived => "derived",
                _ => "request",
            },
            Aggregation = isAggregation ? AggregationNames.Name(feature.Aggregation) : null,
            Field = isAggregation && feature.Field is { } field ? FieldNames.Name(field) : null,
            Window = isAggregation ? WindowRules.FormatDuration(feature.WindowMs) : null,
            Hop = isAggregation && feature.IsTiled ? WindowRules.FormatDuration(feature.HopMs) : null,
            Filter = isAggregation && feature.Filter.Kind != FilterKind.None ? feature.Filter.ToString() : null,
            Direction = isAggregation && feature.Filter.Direction != EdgeDirection.Outflow ? EdgeDirections.Name(feature.Filter.Direction) : null,
            ThresholdSd = isAggregation && feature.ThresholdSd > 0 ? feature.ThresholdSd : null,
            MaxHops = bounds.MaxHops > 0 ? bounds.MaxHops : null,
            MaxVisits = bounds.MaxVisits > 0 ? bounds.MaxVisits : null,
            MaxNeighbours = bounds.MaxNeighbours > 0 ? bounds.MaxNeighbours : null,
            Expression = feature.Expression,
            Description = feature.Description,
            Owner = feature.Owner,
            Tags = feature.Tags,
        };
    }
}
