using Amlfs.Learning.Drift;
using Amlfs.Learning.Models;
using Amlfs.Server.Dashboard.Contracts;
using Amlfs.Server.Hosting;
using Amlfs.Server.Serving;

namespace Amlfs.Server.Dashboard;

/// <summary>
/// The model page: the version that decides, its manifest (figures on validation and test, thresholds, training
/// window), the stored versions and the activation history from the data directory's model registry, the evaluation
/// report when one is stored, and the active model's drift over the sliding day (<see cref="GradientBoostedRiskModel.Drift"/>).
/// </summary>
internal sealed class ModelQueries(ActiveRiskModel models, TransactionScorer scorer, ServerSettings settings, TimeProvider clock)
{
    public ModelDetail Detail()
    {
        var registry = new ModelRegistry(settings.DataDirectory);
        var active = scorer.ModelVersion;
        var current = models.Current;
        ModelManifest? manifest = null;
        IReadOnlyList<ModelManifest> versions = [];
        ModelActivation activation = new(null, []);
        try
        {
            manifest = current is null ? null : registry.Find(current.Version);
            versions = registry.List();
            activation = registry.Activation;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            // A registry being written or damaged: the page shows what it could read, and /health says the rest.
        }

        return new ModelDetail
        {
            ActiveVersion = active,
            Kind = current is null ? ModelKinds.Rules : ModelKinds.GradientBoostedTrees,
            Problem = models.Problem,
            Manifest = manifest is null ? null : new ModelSummary
            {
                Version = manifest.Version,
                CreatedAt = manifest.CreatedAt,
                RegistryVersion = manifest.RegistryVersion,
                Inputs = manifest.FeatureNames.Count,
                Window = manifest.Window,
                Thresholds = manifest.Thresholds,
                Validation = MetricsView.Of(manifest.Validation),
                Test = MetricsView.Of(manifest.Test),
                BestIteration = manifest.BestIteration,
                Trials = manifest.Trials,
            },
            Versions = [.. versions.Select(v => new ModelVersionView(v.Version, v.CreatedAt, MetricsView.Of(v.Test).PrAuc, v.Version == current?.Version))],
            Activations = [.. activation.History.Reverse().Take(20)],
            ReportAvailable = current is not null && File.Exists(registry.ReportPath(current.Version)),
            Drift = Drift(current),
        };
    }

    /// <summary>
    /// The drift of <paramref name="model"/> (null: the rules, which have none): its sliding day now, or why there is
    /// nothing to compute.
    /// </summary>
    private DriftView Drift(GradientBoostedRiskModel? model)
    {
        if (model is null)
            return Uncomputed(DriftView.Rules, null);
        if (model.Drift is not { } drift)
            return Uncomputed(DriftView.NoReference, model.Version);
        if (settings.OnlineStore is not null || !settings.StreamDecisions)
            return Uncomputed(DriftView.NoDecisions, model.Version);

        var reading = drift.Read(clock.GetUtcNow());
        return new DriftView
        {
            Status = reading.Computed ? DriftView.Ready : DriftView.Collecting,
            Computed = reading.Computed,
            ComputedAt = reading.ComputedAt,
            ModelVersion = model.Version,
            Decisions = reading.Decisions,
            MinimumDecisions = reading.MinimumDecisions,
            DayStart = reading.DayStart,
            DayEnd = reading.DayEnd,
            ScorePsi = reading.ScorePsi,
            ScoreBand = reading.ScorePsi is { } psi ? BandName(PopulationStabilityIndex.Band(psi)) : null,
            Features = [.. reading.Inputs.Select(i => new FeatureDrift(i.Input, i.Psi, BandName(i.Band)))],
        };
    }

    private static DriftView Uncomputed(string status, string? version) =>
        new() { Status = status, Computed = false, ModelVersion = version, Features = [] };

    private static string BandName(DriftBand band) => band.ToString().ToLowerInvariant();

    /// <summary>The stored evaluation report of the active learned version (<c>amlfs evaluate --report</c> keeps it), or null.</summary>
    public string? ReportFile() =>
        models.Current is { } current && new ModelRegistry(settings.DataDirectory).ReportPath(current.Version) is var path && File.Exists(path)
            ? path
            : null;
}
