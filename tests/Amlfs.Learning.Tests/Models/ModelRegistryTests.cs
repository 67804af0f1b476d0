using System.Text.Json;
using System.Text.RegularExpressions;
using Amlfs.Learning.Drift;
using Amlfs.Learning.Models;
using Amlfs.Testing;

namespace Amlfs.Learning.Tests.Models;

public sealed class ModelRegistryTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 1, 12, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void A_version_round_trips_with_its_model_text_anomaly_model_and_checksums()
    {
        var registry = new ModelRegistry(_directory.Path);

        var stored = registry.Add(Manifest(), "tree\nmodel text\n", """{"trees":[]}""");
        var reopened = new ModelRegistry(_directory.Path);
        var found = reopened.Find(stored.Version)!;

        Assert.Equal("gbt-1", stored.Version);
        Assert.Equal("tree\nmodel text\n", reopened.ModelText(found));
        Assert.Equal("""{"trees":[]}""", reopened.AnomalyJson(found));
        Assert.Equal(stored.ModelSha256, found.ModelSha256);
        Assert.Equal(["a", "b", "amount"], found.FeatureNames);
        Assert.Equal(0.25, found.Calibration.GetProperty("a").GetDouble());
        Assert.Equal(["gbt-1"], reopened.List().Select(m => m.Version));
    }

    [Fact]
    public void Versions_are_numbered_in_order_and_nothing_is_active_until_activated()
    {
        var registry = new ModelRegistry(_directory.Path);

        registry.Add(Manifest(), "one", null);
        registry.Add(Manifest(), "two", null);

        Assert.Equal(["gbt-1", "gbt-2"], registry.List().Select(m => m.Version));
        Assert.Null(registry.ActiveVersion);
        Assert.Null(registry.Find("gbt-3"));
    }

    [Fact]
    public void The_active_version_survives_reopening_and_rollbacks_walk_back_the_activations()
    {
        var registry = new ModelRegistry(_directory.Path);
        registry.Add(Manifest(), "one", null);
        registry.Add(Manifest(), "two", null);

        registry.Activate("gbt-1", Now);
        registry.Activate("gbt-2", Now);
        Assert.Equal("gbt-2", new ModelRegistry(_directory.Path).ActiveVersion);
        Assert.Equal("gbt-1", registry.Rollback(Now));
        Assert.Null(registry.Rollback(Now));
        Assert.Throws<InvalidOperationException>(() => registry.Rollback(Now));
        Assert.Throws<ArgumentException>(() => registry.Activate("gbt-9", Now));
    }

    [Fact]
    public void A_changed_model_file_fails_its_checksum()
    {
        var registry = new ModelRegistry(_directory.Path);
        var stored = registry.Add(Manifest(), "model text", null);
        File.WriteAllText(Path.Combine(registry.Directory, stored.Version, ModelRegistry.ModelFile), "model texT");

        var error = Assert.Throws<InvalidDataException>(() => registry.ModelText(stored));

        Assert.Contains("SHA-256 differs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_reference_distributions_round_trip_beside_the_manifest_and_are_checked()
    {
        var registry = new ModelRegistry(_directory.Path);
        double[] rows = [1, double.NaN, 5, 2, 20, 5, 3, 30, 5, 4, 40, 5];
        var reference = ReferenceDistribution.Fit(["a", "b", "amount"], rows, [0.1, 0.2, 0.3, 0.9], bins: 2);

        var stored = registry.Add(Manifest(), "model text", null, reference);
        var found = new ModelRegistry(_directory.Path).Find(stored.Version)!;
        var read = new ModelRegistry(_directory.Path).Reference(found)!;

        Assert.NotNull(found.ReferenceSha256);
        Assert.True(File.Exists(Path.Combine(registry.Directory, stored.Version, ModelRegistry.ReferenceFile)));
        Assert.Equal((2, 4L, 4L), (read.Bins, read.InputRows, read.ScoreRows));
        Assert.Equal(["a", "b", "amount"], read.Inputs.Select(i => i.Name));
        Assert.Equal(reference.Inputs.Select(i => (i.Edges.ToArray(), i.Shares.ToArray(), i.MissingShare)), read.Inputs.Select(i => (i.Edges.ToArray(), i.Shares.ToArray(), i.MissingShare)));
        Assert.Equal(0.25, read.Inputs[1].MissingShare);
        Assert.Equal([5.0], read.Inputs[2].Edges); // a constant input: its value, and above it
        Assert.Equal(reference.Score.Edges, read.Score.Edges);
        Assert.Equal(reference.Score.Shares, read.Score.Shares);

        File.WriteAllText(Path.Combine(registry.Directory, stored.Version, ModelRegistry.ReferenceFile), "{}");
        Assert.Contains("SHA-256 differs", Assert.Throws<InvalidDataException>(() => registry.Reference(found)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_version_stored_without_reference_distributions_has_none()
    {
        var registry = new ModelRegistry(_directory.Path);

        var stored = registry.Add(Manifest(), "model text", null);

        Assert.Null(stored.ReferenceSha256);
        Assert.Null(registry.Reference(registry.Find(stored.Version)!));
        Assert.False(File.Exists(Path.Combine(registry.Directory, stored.Version, ModelRegistry.ReferenceFile)));
        // A manifest written before the field existed reads as one without it.
        var manifestPath = Path.Combine(registry.Directory, stored.Version, ModelRegistry.ManifestFile);
        var before = Regex.Replace(File.ReadAllText(manifestPath), @",\s*""reference_sha256"": null", "");
        Assert.DoesNotContain("reference_sha256", before, StringComparison.Ordinal);
        File.WriteAllText(manifestPath, before);
        Assert.Null(registry.Find(stored.Version)!.ReferenceSha256);
        Assert.Null(registry.Reference(registry.Find(stored.Version)!));
    }

    [Fact]
    public void Reference_distributions_of_other_inputs_than_the_models_are_refused()
    {
        var registry = new ModelRegistry(_directory.Path);
        var reference = ReferenceDistribution.Fit(["a", "amount"], [1, 2, 3, 4], [0.5, 0.6]);

        var stored = registry.Add(Manifest(), "model text", null, reference);

        var error = Assert.Throws<InvalidDataException>(() => registry.Reference(stored));
        Assert.Contains("are not the model's", error.Message, StringComparison.Ordinal);
    }

    private static ModelManifest Manifest()
    {
        var metrics = new ModelMetrics(10, 2, 0.9, 0.8, 0.5, 1, 0.5, 0.67, 0.1, null);
        return new ModelManifest
        {
            Version = "",
            Kind = ModelKinds.GradientBoostedTrees,
            CreatedAt = Now,
            FeatureNames = ["a", "b", "amount"],
            RegistryVersion = 0,
            Window = new ModelTrainingWindow(Now.AddDays(-7), Now.AddDays(-2), Now.AddDays(-1), Now),
            Data = new ModelTrainingData(["transactions/"], 100, 0, 0, new ModelRowCount(80, 8), new ModelRowCount(10, 1), new ModelRowCount(10, 1)),
            Parameters = new Dictionary<string, string> { ["num_leaves"] = "31" },
            BestIteration = 10,
            Trials = 1,
            Seed = 42,
            Calibration = JsonDocument.Parse("""{"kind":"platt","a":0.25,"b":-1}""").RootElement.Clone(),
            Thresholds = new ModelThresholds(0.3, 0.8, 0.05, 0.01),
            Validation = metrics,
            Test = metrics,
            ModelSha256 = "",
        };
    }
}
