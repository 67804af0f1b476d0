using Amlfs.Registry;

namespace Amlfs.Server.Contracts;

/// <summary>The definitions the server computes: the active registry version and its features.</summary>
public sealed class RegistryResponse
{
    /// <summary>Registry version (0 = the built-in default definitions).</summary>
    public required int Version { get; init; }

    public DateTimeOffset? AppliedAt { get; init; }

    public string? Sha256 { get; init; }

    public required string Timezone { get; init; }

    public required IReadOnlyList<FeatureDescription> Features { get; init; }
}
