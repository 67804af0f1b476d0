namespace Amlfs.Server.Dashboard.Contracts;

/// <summary>The drift section of the model page: whether PSI was computed, and then the PSI of each feature, largest first.</summary>
internal sealed record DriftView
{
    public required bool Computed { get; init; }

    public DateTimeOffset? ComputedAt { get; init; }

    public string? ModelVersion { get; init; }

    public required IReadOnlyList<FeatureDrift> Features { get; init; }
}
