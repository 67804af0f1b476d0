using System.Text.Json;
using Amlfs.Engine;
using Amlfs.Learning.Drift;
using Amlfs.Learning.Models;
using Amlfs.Learning.Trees;
using Amlfs.OfflineStore;
using Amlfs.Parquet;
using Amlfs.Parquet.Labels;
using Amlfs.Parquet.Training;
using Amlfs.Registry;
using Amlfs.Testing;

namespace Amlfs.Cli.Tests.Commands;

/// <summary>
/// <c>amlfs train</c>, <c>models</c> and <c>evaluate</c> on a small generated store, and the point-in-time rules of
/// training data: no feature sees after its row, no label known after the cut-off is used, unlabelled is not negative.
/// </summary>
public sealed class TrainCommandTests : IDisposable
{
    private static readonly string[] Train = ["train", "--max-rounds", "40", "--parallelism", "1"];
    private readonly CliHarness _cli = new();

    private string Data => Path.Combine(_cli.WorkingDirectory, "data");

    // generate resolves paths against the process's directory, so it is given an absolute one.
    private string[] Generate => ["generate", "--customers", "300", "--merchants", "30", "--days", "4", "--seed", "42", "--out", Data];

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Training_stores_an_active_model_version_and_ends_with_one_json_line()
    {
        Assert.Equal(0, _cli.Run(Generate).ExitCode);

        var result = _cli.Run(Train);

        Assert.True(result.ExitCode == 0, result.Error);
        var json = JsonDocument.Parse(result.Output.TrimEnd().Split('\n')[^1]).RootElement;
        Assert.Equal("train", json.GetProperty("bench").GetString());
        Assert.Equal("gbt-1", json.GetProperty("model_version").GetString());
        Assert.True(json.GetProperty("positives").GetInt64() > 0);
        Assert.InRange(json.GetProperty("validation_pr_auc").GetDouble(), 0, 1);
        Assert.InRange(json.GetProperty("test_pr_auc").GetDouble(), 0, 1);
        var registry = new ModelRegistry(Data);
        Assert.Equal("gbt-1", registry.ActiveVersion);
        var manifest = registry.Find("gbt-1")!;
        Assert.Equal(manifest.FeatureNames, TreeEnsemble.Parse(registry.ModelText(manifest)).FeatureNames);
        Assert.Equal(new DateTimeOffset(2026, 1, 8, 0, 0, 0, TimeSpan.Zero), manifest.Window.TestFrom);
        Assert.Contains("trial 1/1: validation PR-AUC", result.Output, StringComparison.Ordinal);
        // The distributions drift is measured against: every input's over the training rows, the score's over validation.
        var reference = registry.Reference(manifest)!;
        Assert.Equal(manifest.FeatureNames, reference.Inputs.Select(i => i.Name));
        Assert.Equal(manifest.Data.Train.Rows, reference.InputRows);
        Assert.Equal(manifest.Data.Validation.Rows, reference.ScoreRows);
        Assert.All(reference.Inputs.Append(reference.Score), bins =>
        {
            Assert.InRange(bins.Edges.Count, 0, ReferenceDistribution.DefaultBins - 1);
            Assert.Equal(1, bins.Shares.Sum() + bins.MissingShare, 9);
        });
        Assert.True(reference.Score.Edges.Count > 1, "the validation scores have more than one level");
    }

    [Fact]
    public void The_same_store_and_seed_give_the_same_model_text_and_a_second_model_waits_for_activation()
    {
        Assert.Equal(0, _cli.Run(Generate).ExitCode);

        Assert.Equal(0, _cli.Run(Train).ExitCode);
        Assert.Equal(0, _cli.Run(Train).ExitCode);

        var registry = new ModelRegistry(Data);
        Assert.Equal(registry.ModelText(registry.Find("gbt-1")!), registry.ModelText(registry.Find("gbt-2")!));
        Assert.Equal("gbt-1", registry.ActiveVersion);
    }

    [Fact]
    public void Models_are_listed_shown_activated_and_rolled_back()
    {
        TestModels.Train(Data, seed: 1);
        TestModels.Train(Data, seed: 2);

        Assert.Equal(0, _cli.Run("models", "activate", "gbt-1").ExitCode);
        Assert.Equal(0, _cli.Run("models", "activate", "gbt-2").ExitCode);
        var list = _cli.Run("models", "list");
        var rollback = _cli.Run("models", "rollback");
        var show = _cli.Run("models", "show", "active");

        Assert.Contains(list.Output.Split('\n'), l => l.Contains("gbt-2", StringComparison.Ordinal) && l.Contains('*', StringComparison.Ordinal));
        Assert.Equal("active: gbt-1", rollback.Output.Trim());
        Assert.Equal("gbt-1", JsonDocument.Parse(show.Output).RootElement.GetProperty("version").GetString());
        Assert.Equal("active: rules", _cli.Run("models", "rollback").Output.Trim());
        Assert.Contains("no activation is left to roll back", _cli.Run("models", "rollback").Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Activating_a_model_whose_features_the_registry_does_not_define_fails_naming_them()
    {
        TestModels.Train(Data, [.. TestModels.DefaultInputs(), "ip_unique_customers_1h"]);

        var result = _cli.Run("models", "activate", "gbt-1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("gbt-1 reads features the active definitions do not define: ip_unique_customers_1h", result.Error, StringComparison.Ordinal);
        Assert.Null(new ModelRegistry(Data).ActiveVersion);
    }

    [Fact]
    public void A_model_file_changed_after_training_is_refused()
    {
        var manifest = TestModels.Train(Data);
        File.AppendAllText(Path.Combine(Data, "models", manifest.Version, ModelRegistry.ModelFile), " ");

        var result = _cli.Run("models", "activate", manifest.Version);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("SHA-256 differs", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_measures_a_model_and_the_rules_on_another_store_and_writes_a_report()
    {
        Assert.Equal(0, _cli.Run(Generate).ExitCode);
        Assert.Equal(0, _cli.Run(Train).ExitCode);
        Assert.Equal(0, _cli.Run("generate", "--customers", "300", "--merchants", "30", "--days", "2", "--seed", "7", "--out", _cli.PathOf("other")).ExitCode);

        var model = _cli.Run("evaluate", "--dataset", "other", "--report", "report.html");
        var rules = _cli.Run("evaluate", "--model", "rules", "--dataset", "other");

        Assert.True(model.ExitCode == 0, model.Error);
        var json = JsonDocument.Parse(model.Output.TrimEnd().Split('\n')[^1]).RootElement;
        Assert.Equal("evaluate", json.GetProperty("bench").GetString());
        Assert.Equal("gbt-1", json.GetProperty("model").GetString());
        foreach (var field in new[] { "rows", "positives", "roc_auc", "pr_auc", "recall_at_1pct_fpr", "precision_at_high", "recall_at_high", "anomaly_pr_auc" })
            Assert.True(json.TryGetProperty(field, out _), field);
        // Per typology, recall at 1% FPR is taken at the threshold the negatives alone set: the typologies' recalls,
        // weighted by their positives, make the overall one.
        var typologies = json.GetProperty("typologies").EnumerateObject().Select(t => t.Value).ToList();
        Assert.NotEmpty(typologies);
        var positives = typologies.Sum(t => t.GetProperty("positives").GetInt64());
        Assert.Equal(json.GetProperty("positives").GetInt64(), positives);
        Assert.Equal(json.GetProperty("recall_at_1pct_fpr").GetDouble(),
            typologies.Sum(t => t.GetProperty("positives").GetInt64() * t.GetProperty("recall_at_1pct_fpr").GetDouble()) / positives, 0.001);
        Assert.Contains("at 1% FPR</th>", File.ReadAllText(_cli.PathOf("report.html")), StringComparison.Ordinal);
        var rulesJson = JsonDocument.Parse(rules.Output.TrimEnd().Split('\n')[^1]).RootElement;
        Assert.Equal("rules", rulesJson.GetProperty("model").GetString());
        Assert.Equal(json.GetProperty("rules_pr_auc").GetDouble(), rulesJson.GetProperty("pr_auc").GetDouble());
        var report = File.ReadAllText(_cli.PathOf("report.html"));
        Assert.Contains("<svg", report, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"http", report, StringComparison.Ordinal);
        // The registry keeps a copy of a version's report, which the dashboard's model page serves.
        Assert.Equal(report, File.ReadAllText(new ModelRegistry(Data).ReportPath("gbt-1")));
    }

    [Fact]
    public async Task A_signal_planted_after_a_transaction_never_reaches_its_row()
    {
        // Every positive is followed, one second later, by a burst of 20 unlabelled payments of the same customer: a
        // training row that saw them would learn the label from the future.
        var start = Tx.Utc(2026, 3, 14, 12);
        var rows = new List<LabeledTransaction>();
        for (var c = 0; c < 20; c++)
        {
            var positive = c % 2 == 0;
            var t = start + (c * 60_000L);
            rows.Add(new LabeledTransaction(Tx.At(t, customer: $"C{c}", cents: 100_00), positive, positive ? "burst" : Typologies.None));
            if (positive)
            {
                for (var k = 1; k <= 20; k++)
                    rows.Add(new LabeledTransaction(Tx.At(t + 1_000 + k, customer: $"C{c}", cents: 100_00), null, Typologies.None));
            }
        }

        await WriteAsync(rows);

        var set = await Compute(TransactionRowSelection.All);

        Assert.Equal(20, set.Count);
        var counts = set.FeatureNames.Select((name, index) => (name, index)).Where(f => f.name.StartsWith("txn_count", StringComparison.Ordinal)).ToList();
        for (var r = 0; r < set.Count; r++)
        {
            foreach (var (name, index) in counts)
                Assert.Equal(name.EndsWith("_with_current", StringComparison.Ordinal) ? 1 : 0, set.Row(r)[index]);
        }
    }

    [Fact]
    public async Task A_label_known_after_the_cut_off_is_not_used_and_unlabelled_rows_are_not_negatives()
    {
        var start = Tx.Utc(2026, 3, 14, 12);
        await WriteAsync(
        [
            new LabeledTransaction(Tx.At(start, id: "T1", customer: "C1", cents: 100_00), false, Typologies.None),
            new LabeledTransaction(Tx.At(start + 1_000, id: "T2", customer: "C2", cents: 100_00), null, Typologies.None),
            new LabeledTransaction(Tx.At(start + 2_000, id: "T3", customer: "C3", cents: 100_00), null, Typologies.None),
        ]);
        var cutoff = start + 3_600_000;
        await LabelTable.AppendAsync(Data, [new LabelRecord("T1", true, "structuring", cutoff + 1, LabelSources.Case)], TimeProvider.System);
        await LabelTable.AppendAsync(Data, [new LabelRecord("T2", true, "burst", cutoff - 1, LabelSources.Case)], TimeProvider.System);

        var beforeCutoff = await Compute(new TransactionRowSelection(start, cutoff) { CutoffMs = cutoff });
        var everything = await Compute(TransactionRowSelection.All);

        Assert.Equal(["T1", "T2"], beforeCutoff.TransactionIds);
        Assert.Equal([false, true], beforeCutoff.Labels);
        Assert.Equal(1, beforeCutoff.Labelling.AfterCutoff);
        Assert.Equal(["T1", "T2"], everything.TransactionIds);
        Assert.Equal([true, true], everything.Labels);
        Assert.Equal(["structuring", "burst"], everything.Typologies);
    }

    private Task<TransactionTrainingSet> Compute(TransactionRowSelection selection)
    {
        var definition = DefinitionsLoader.LoadDefault();
        return TrainingSetBuilder.ComputeFromStoreAsync(Data, FeaturePlan.Compile(definition), EngineOptions.From(definition), selection, 1);
    }

    private async Task WriteAsync(IReadOnlyList<LabeledTransaction> rows)
    {
        var path = DatasetLayout.PartitionFile(Data, new DateOnly(2026, 3, 14));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var stream = File.Create(path);
        await TransactionParquetWriter.WriteAsync(stream, rows);
    }
}
