namespace Amlfs.Server.Api;

/// <summary>One feature of the registry as the API describes it.</summary>
public sealed class FeatureDescription
{
    public required string Name { get; init; }

    public required string Entity { get; init; }

    public required string View { get; init; }

    /// <summary>aggregation, derived or request.</summary>
    public required string Kind { get; init; }

    public string? Aggregation { get; init; }

    public string? Field { get; init; }

    public string? Window { get; init; }

    public string? Hop { get; init; }

    public string? Filter { get; init; }

    public string? Expression { get; init; }

    public required string Description { get; init; }

    public required string Owner { get; init; }

    public required IReadOnlyList<string> Tags { get; init; }
}
