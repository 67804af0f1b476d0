using System.Text.Json;

namespace Amlfs.Learning.Models;

/// <summary>
/// What a model version is and how it was made, stored as <c>model.json</c> beside its LightGBM model text: the input
/// names (<see cref="FeatureNames"/>, the order the model reads) and the feature registry version they were computed
/// with, the training window and cut-off, the data and row counts, the parameters, the calibration, the thresholds
/// chosen for the alert budgets, the metrics on validation and test, and the SHA-256 of each file of the version.
/// </summary>
public sealed record ModelManifest
{
    /// <summary><c>gbt-N</c>, numbered from 1 in training order.</summary>
    public required string Version { get; init; }

    /// <summary><see cref="ModelKinds.GradientBoostedTrees"/>.</summary>
    public required string Kind { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The model's inputs in order (features, request features, then <c>amount</c>).</summary>
    public required IReadOnlyList<string> FeatureNames { get; init; }

    /// <summary>The feature registry version the training set was computed with (0: the built-in definitions).</summary>
    public required int RegistryVersion { get; init; }

    public required ModelTrainingWindow Window { get; init; }

    public required ModelTrainingData Data { get; init; }

    /// <summary>LightGBM's parameters as given to it, name to value.</summary>
    public required IReadOnlyDictionary<string, string> Parameters { get; init; }

    /// <summary>Boosting rounds kept: the best validation PR-AUC.</summary>
    public required int BestIteration { get; init; }

    /// <summary>Hyperparameter trials run; the model is the best one's.</summary>
    public required int Trials { get; init; }

    public required int Seed { get; init; }

    /// <summary>The probability calibration fitted on validation, as its own JSON.</summary>
    public required JsonElement Calibration { get; init; }

    public required ModelThresholds Thresholds { get; init; }

    public required ModelMetrics Validation { get; init; }

    public required ModelMetrics Test { get; init; }

    /// <summary>SHA-256 (lower-case hex) of <c>model.txt</c>.</summary>
    public required string ModelSha256 { get; init; }

    /// <summary>SHA-256 of <c>anomaly.json</c>, the unsupervised model trained with this one; null when there is none.</summary>
    public string? AnomalySha256 { get; init; }

    /// <summary>
    /// SHA-256 of <c>reference.json</c>, the training distributions of the inputs and the score that drift is measured
    /// against; null for a version trained before they were stored, which has no drift.
    /// </summary>
    public string? ReferenceSha256 { get; init; }
}
