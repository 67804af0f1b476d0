namespace Amlfs.Registry;

/// <summary>A named group of features over one entity, with an owner, a description and tags.</summary>
public sealed record FeatureViewDefinition
{
    public required string Name { get; init; }
    public required string Entity { get; init; }
    /// <summary>The family of its features (velocity, baseline, counterparty, graph, temporal, behavioural...); "" when not given.</summary>
    public string Family { get; init; } = "";
    public string Owner { get; init; } = "";
    public string Description { get; init; } = "";
    public IReadOnlyList<string> Tags { get; init; } = [];
    public required IReadOnlyList<FeatureDefinition> Features { get; init; }
}
