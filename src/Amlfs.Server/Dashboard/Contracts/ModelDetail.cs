using Amlfs.Learning.Models;

namespace Amlfs.Server.Dashboard.Contracts;

/// <summary>The model page: which model decides, its manifest, the versions and activations, its report and drift.</summary>
internal sealed record ModelDetail
{
    public required string ActiveVersion { get; init; }

    /// <summary>rules or gbt.</summary>
    public required string Kind { get; init; }

    /// <summary>Why the active learned version does not score (the rules or the previous model do meanwhile); null when it does.</summary>
    public string? Problem { get; init; }

    public ModelSummary? Manifest { get; init; }

    public required IReadOnlyList<ModelVersionView> Versions { get; init; }

    public required IReadOnlyList<ModelActivationEntry> Activations { get; init; }

    /// <summary>Whether an evaluation report of the active version is stored (<c>/dashboard/api/model/report</c>).</summary>
    public required bool ReportAvailable { get; init; }

    public required DriftView Drift { get; init; }
}
