using Amlfs.Learning.Models;

namespace Amlfs.Server.Dashboard.Contracts;

/// <summary>A learned model version as its manifest describes it.</summary>
internal sealed record ModelSummary
{
    public required string Version { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required int RegistryVersion { get; init; }

    public required int Inputs { get; init; }

    public required ModelTrainingWindow Window { get; init; }

    public required ModelThresholds Thresholds { get; init; }

    public required MetricsView Validation { get; init; }

    public required MetricsView Test { get; init; }

    public required int BestIteration { get; init; }

    public required int Trials { get; init; }
}
