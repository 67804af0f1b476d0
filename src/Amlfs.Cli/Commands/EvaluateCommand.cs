using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Amlfs.Cli.Evaluation;
using Amlfs.Learning.Models;
using Amlfs.OfflineStore;
using Amlfs.Parquet.Training;
using Amlfs.Registry;
using Spectre.Console;

namespace Amlfs.Cli.Commands;

/// <summary>
/// <c>amlfs evaluate</c>: a model version, the active one or the rules on a period of an offline store
/// (<see cref="ModelEvaluation"/>); the last line is one JSON object, and <c>--report</c> writes an HTML report.
/// </summary>
internal static class EvaluateCommand
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static Command Create(CliEnvironment environment)
    {
        var model = new Option<string>("--model") { Description = "A version (gbt-N), active, or rules", DefaultValueFactory = _ => "active" };
        var dataDirectory = DataDirectoryOption.Create();
        var dataset = new Option<string?>("--dataset")
        {
            Description = "Evaluate on this data directory's offline store instead (the model and its definitions stay those of --data-dir)",
            HelpName = "DIR",
        };
        var from = PeriodOption.Create("--from", "Start of the period; the store's first transaction by default");
        var to = PeriodOption.Create("--to", "End of the period (exclusive); the store's last transaction by default");
        var report = new Option<string?>("--report") { Description = "Write a self-contained HTML report here", HelpName = "FILE.html" };
        var parallelism = new Option<int>("--parallelism") { Description = "Threads; the number of cores by default", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("evaluate", "Measure a model (or the rules) on a period of the offline store: ROC-AUC, PR-AUC, recall at 1% FPR, precision and recall at HIGH")
        {
            model, dataDirectory, dataset, from, to, report, parallelism,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            environment, parse.GetValue(model)!, parse.GetValue(dataDirectory)!, parse.GetValue(dataset), parse.GetValue(from), parse.GetValue(to),
            parse.GetValue(report), parse.GetValue(parallelism), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        CliEnvironment environment, string model, string dataDirectory, string? dataset, DateTimeOffset? from, DateTimeOffset? to, string? report,
        int parallelism, CancellationToken cancellationToken)
    {
        var errors = environment.Error;
        if (parallelism < 1)
        {
            await errors.WriteLineAsync("amlfs evaluate: --parallelism must be at least 1").ConfigureAwait(false);
            return 1;
        }

        var root = environment.Resolve(dataDirectory);
        var store = dataset is null ? root : environment.Resolve(dataset);
        if (DatasetLayout.TransactionFiles(store).Count == 0)
        {
            await errors.WriteLineAsync($"amlfs evaluate: the offline store at {store} holds no transactions").ConfigureAwait(false);
            return 1;
        }

        try
        {
            var selection = new TransactionRowSelection(from?.ToUnixTimeMilliseconds(), to?.ToUnixTimeMilliseconds());
            var result = await ModelEvaluation.RunAsync(
                environment.Console, root, store, model, selection, parallelism, report is null ? null : environment.Resolve(report), cancellationToken).ConfigureAwait(false);
            Print(environment.Console, result);
            await environment.Output.WriteLineAsync(JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["bench"] = "evaluate",
                ["model"] = result.Model,
                ["rows"] = result.Metrics.Rows,
                ["positives"] = result.Metrics.Positives,
                ["roc_auc"] = Round(result.Metrics.RocAuc),
                ["pr_auc"] = Round(result.Metrics.PrAuc),
                ["recall_at_1pct_fpr"] = Round(result.Metrics.RecallAt1PctFpr),
                ["precision_at_high"] = Round(result.Metrics.PrecisionAtHigh),
                ["recall_at_high"] = Round(result.Metrics.RecallAtHigh),
                ["f1_at_high"] = Round(result.Metrics.F1AtHigh),
                ["alert_rate"] = Round(result.Metrics.AlertRate),
                ["anomaly_pr_auc"] = result.Metrics.AnomalyPrAuc is { } a ? Round(a) : null,
                ["rules_pr_auc"] = Round(result.Rules.PrAuc),
                ["rules_recall_at_1pct_fpr"] = Round(result.Rules.RecallAt1PctFpr),
                ["typologies"] = result.TypologyRecall.ToDictionary(t => t.Typology, t => new Dictionary<string, object?>
                {
                    ["positives"] = t.Positives,
                    ["recall_at_1pct_fpr"] = Round(t.ModelRecallAt1PctFpr),
                    ["recall_at_high"] = Round(t.ModelRecall),
                }),
            })).ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or DefinitionException)
        {
            await errors.WriteLineAsync($"amlfs evaluate: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>Four decimals; NaN (no positive or no negative in the period) as null.</summary>
    private static double? Round(double value) => double.IsNaN(value) ? null : Math.Round(value, 4);

    private static void Print(IAnsiConsole console, ModelEvaluationResult result)
    {
        var table = new Table().AddColumns("metric", result.Model, ModelKinds.Rules);
        void Row(string name, Func<ModelMetrics, double> value) =>
            table.AddRow(name, value(result.Metrics).ToString("0.0000", Invariant), value(result.Rules).ToString("0.0000", Invariant));
        table.AddRow("rows", result.Metrics.Rows.ToString("N0", Invariant), result.Rules.Rows.ToString("N0", Invariant));
        table.AddRow("positives", result.Metrics.Positives.ToString("N0", Invariant), result.Rules.Positives.ToString("N0", Invariant));
        Row("ROC-AUC", m => m.RocAuc);
        Row("PR-AUC", m => m.PrAuc);
        Row("recall at 1% FPR", m => m.RecallAt1PctFpr);
        Row("precision at HIGH", m => m.PrecisionAtHigh);
        Row("recall at HIGH", m => m.RecallAtHigh);
        Row("F1 at HIGH", m => m.F1AtHigh);
        Row("alert rate (HIGH)", m => m.AlertRate);
        if (result.Metrics.AnomalyPrAuc is { } anomaly)
            table.AddRow("anomaly score PR-AUC", anomaly.ToString("0.0000", Invariant), "");
        foreach (var t in result.TypologyRecall)
        {
            table.AddRow(
                $"recall at HIGH: {Markup.Escape(t.Typology)} ({t.Positives:N0})", t.ModelRecall.ToString("0.0000", Invariant), t.RulesRecall.ToString("0.0000", Invariant));
        }

        foreach (var t in result.TypologyRecall)
        {
            table.AddRow(
                $"recall at 1% FPR: {Markup.Escape(t.Typology)} ({t.Positives:N0})", t.ModelRecallAt1PctFpr.ToString("0.0000", Invariant),
                t.RulesRecallAt1PctFpr.ToString("0.0000", Invariant));
        }
        console.Write(table);
    }
}
