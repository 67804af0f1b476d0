using Amlfs.Learning.Models;
using Amlfs.Server.Dashboard.Contracts;
using Amlfs.Server.Hosting;
using Amlfs.Server.Serving;

namespace Amlfs.Server.Dashboard;

/// <summary>
/// The model page: the version that decides, its manifest (figures on validation and test, thresholds, training
/// window), the stored versions and the activation history from the data directory's model registry, the evaluation
/// report when one is stored, and drift from the <see cref="IDriftSource"/>.
/// </summary>
internal sealed class ModelQueries(ActiveRiskModel models, TransactionScorer scorer, IDriftSource drift, ServerSettings settings)
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

        var report = drift.Latest(active);
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
            Drift = report is null
                ? new DriftView { Computed = false, Features = [] }
                : new DriftView
                {
                    Computed = true,
                    ComputedAt = report.ComputedAt,
                    ModelVersion = report.ModelVersion,
                    Features = [.. report.Features.OrderByDescending(f => f.Psi)],
                },
        };
    }

    /// <summary>The stored evaluation report of the active learned version (<c>amlfs evaluate --report</c> keeps it), or null.</summary>
    public string? ReportFile() =>
        models.Current is { } current && new ModelRegistry(settings.DataDirectory).ReportPath(current.Version) is var path && File.Exists(path)
            ? path
            : null;
}
