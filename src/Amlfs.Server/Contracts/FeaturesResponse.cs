namespace Amlfs.Server.Contracts;

/// <summary>Every stored feature of one entity as of a time.</summary>
public sealed class FeaturesResponse
{
    /// <summary>The entity type: customer or merchant.</summary>
    public required string Entity { get; init; }

    public required string EntityId { get; init; }

    /// <summary>The as-of time q: windows cover [q - W, q).</summary>
    public required DateTimeOffset AsOf { get; init; }

    /// <summary>False when nothing is stored for the entity: every feature is then 0.</summary>
    public required bool Known { get; init; }

    public required IReadOnlyDictionary<string, double> Features { get; init; }

    public required int RegistryVersion { get; init; }
}
