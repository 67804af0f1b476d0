using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Amlfs.Audit;
using Amlfs.Cli.Training;
using Amlfs.Learning.Models;
using Amlfs.Parquet.Training;
using Amlfs.Registry;
using Spectre.Console;

namespace Amlfs.Cli.Commands;

/// <summary>
/// <c>amlfs train</c>: trains a gradient-boosted risk model on the offline store's point-in-time training data and
/// stores it as a new model version (<see cref="ModelTraining"/>). The last line is one JSON object.
/// </summary>
internal static class TrainCommand
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static Command Create(CliEnvironment environment)
    {
        var defaults = new ModelTrainingOptions();
        var dataDirectory = DataDirectoryOption.Create();
        var from = PeriodOption.Create("--from", "Start of the training period; the store's first day by default");
        var to = PeriodOption.Create("--to", "End of the test period (exclusive) and the training cut-off; the day after the store's last by default");
        var validationDays = new Option<double>("--validation-days") { Description = "Days of validation before the test days (fractions allowed)", DefaultValueFactory = _ => defaults.ValidationDays };
        var testDays = new Option<double>("--test-days") { Description = "Days of test at the end of the window (fractions allowed)", DefaultValueFactory = _ => defaults.TestDays };
        var trials = new Option<int>("--trials") { Description = "Hyperparameter sets tried (the first is the defaults), seeded", DefaultValueFactory = _ => defaults.Trials };
        var seed = new Option<int>("--seed") { Description = "Seed of the search, LightGBM and the anomaly model", DefaultValueFactory = _ => defaults.Seed };
        var maxRounds = new Option<int>("--max-rounds") { Description = "Most boosting rounds of a trial", DefaultValueFactory = _ => defaults.MaxRounds };
        var highRate = new Option<double>("--high-alert-rate") { Description = "Share of transactions that may be HIGH (validation)", DefaultValueFactory = _ => defaults.HighAlertRate };
        var mediumRate = new Option<double>("--medium-alert-rate") { Description = "Share of transactions that may be MEDIUM or HIGH (validation)", DefaultValueFactory = _ => defaults.MediumAlertRate };
        var calibration = new Option<string>("--calibration") { Description = "Probability calibration fitted on validation", DefaultValueFactory = _ => defaults.Calibration };
        calibration.AcceptOnlyFromAmong("platt", "isotonic");
        var labels = new Option<string?>("--labels")
        {
            Description = "Transaction labels, CSV or Parquet: transaction_id, label (0/1/true/false), optional typology and known_at (ISO-8601; the cut-off applies)",
            HelpName = "FILE",
        };
        var activate = new Option<bool>("--activate") { Description = "Make the new model active (it is anyway when none is)" };
        var parallelism = new Option<int>("--parallelism") { Description = "Threads; the number of cores by default", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("train", "Train a gradient-boosted risk model on point-in-time training data and store it as a new version")
        {
            dataDirectory, from, to, validationDays, testDays, trials, seed, maxRounds, highRate, mediumRate, calibration, labels, activate, parallelism,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(environment, parse.GetValue(dataDirectory)!, new ModelTrainingOptions
        {
            From = parse.GetValue(from),
            To = parse.GetValue(to),
            ValidationDays = parse.GetValue(validationDays),
            TestDays = parse.GetValue(testDays),
            Trials = parse.GetValue(trials),
            Seed = parse.GetValue(seed),
            MaxRounds = parse.GetValue(maxRounds),
            HighAlertRate = parse.GetValue(highRate),
            MediumAlertRate = parse.GetValue(mediumRate),
            Calibration = parse.GetValue(calibration)!,
            Parallelism = parse.GetValue(parallelism),
            LabelsFile = parse.GetValue(labels),
        }, parse.GetValue(activate), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        CliEnvironment environment, string dataDirectory, ModelTrainingOptions options, bool activate, CancellationToken cancellationToken)
    {
        var errors = environment.Error;
        var problem = Validate(options);
        if (problem is not null)
        {
            await errors.WriteLineAsync($"amlfs train: {problem}").ConfigureAwait(false);
            return 1;
        }

        var root = environment.Resolve(dataDirectory);
        try
        {
            if (options.LabelsFile is { } file)
            {
                var now = environment.Clock.GetUtcNow().ToUnixTimeMilliseconds();
                options = options with { ExtraLabels = await TransactionLabelFileReader.ReadAsync(environment.Resolve(file), now, cancellationToken).ConfigureAwait(false) };
            }

            var manifest = await ModelTraining.RunAsync(environment.Console, root, options, environment.Clock, cancellationToken).ConfigureAwait(false);
            var registry = new ModelRegistry(root);
            var previous = registry.ActiveVersion;
            var activated = activate || previous is null;
            var audited = 0;
            if (activated)
            {
                registry.Activate(manifest.Version, environment.Clock.GetUtcNow());
                var unrecorded = CliAudit.Record(environment, root, AuditActions.ModelActivated, manifest.Version,
                    new Dictionary<string, string?>(StringComparer.Ordinal) { ["previous"] = previous ?? ModelKinds.Rules });
                if (unrecorded is not null)
                {
                    await errors.WriteLineAsync($"amlfs train: {unrecorded}").ConfigureAwait(false);
                    audited = 1;
                }
            }

            Print(environment.Console, manifest, activated);
            await environment.Output.WriteLineAsync(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["bench"] = "train",
                ["model_version"] = manifest.Version,
                ["rows"] = manifest.Data.Train.Rows + manifest.Data.Validation.Rows + manifest.Data.Test.Rows,
                ["positives"] = manifest.Data.Train.Positives + manifest.Data.Validation.Positives + manifest.Data.Test.Positives,
                ["validation_pr_auc"] = Round(manifest.Validation.PrAuc),
                ["test_pr_auc"] = Round(manifest.Test.PrAuc),
                ["test_roc_auc"] = Round(manifest.Test.RocAuc),
                ["test_recall_at_1pct_fpr"] = Round(manifest.Test.RecallAt1PctFpr),
                ["best_iteration"] = manifest.BestIteration,
                ["active"] = activated,
            })).ConfigureAwait(false);
            return audited;
        }
        catch (LabelFileException e)
        {
            foreach (var line in e.Problems)
                await errors.WriteLineAsync(line).ConfigureAwait(false);
            return 1;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or DefinitionException)
        {
            await errors.WriteLineAsync($"amlfs train: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static string? Validate(ModelTrainingOptions o) =>
        o.ValidationDays is not > 0 ? "--validation-days must be positive"
        : o.TestDays is not > 0 ? "--test-days must be positive"
        : o.Trials < 1 ? "--trials must be at least 1"
        : o.MaxRounds < 1 ? "--max-rounds must be at least 1"
        : o.Parallelism < 1 ? "--parallelism must be at least 1"
        : o.HighAlertRate is not (> 0 and < 1) ? "--high-alert-rate must be between 0 and 1 (exclusive)"
        : o.MediumAlertRate is not (> 0 and < 1) || o.MediumAlertRate < o.HighAlertRate ? "--medium-alert-rate must be between --high-alert-rate and 1"
        : null;

    private static double Round(double value) => double.IsNaN(value) ? -1 : Math.Round(value, 4);

    private static void Print(IAnsiConsole console, ModelManifest m, bool active)
    {
        var table = new Table().AddColumns("model", m.Version + (active ? " (active)" : ""));
        table.AddRow("window", string.Create(Invariant,
            $"train {m.Window.From:yyyy-MM-dd HH:mm} to {m.Window.ValidationFrom:yyyy-MM-dd HH:mm}, validation to {m.Window.TestFrom:yyyy-MM-dd HH:mm}, test to {m.Window.To:yyyy-MM-dd HH:mm} (cut-off)"));
        table.AddRow("rows", string.Create(Invariant,
            $"train {m.Data.Train.Rows:N0} ({m.Data.Train.Positives:N0} positive), validation {m.Data.Validation.Rows:N0} ({m.Data.Validation.Positives:N0}), test {m.Data.Test.Rows:N0} ({m.Data.Test.Positives:N0})"));
        table.AddRow("labels", string.Create(Invariant,
            $"{m.Data.LabelRowsUsed:N0} later label rows used, {m.Data.LabelRowsAfterCutoff:N0} known after the cut-off left out"));
        table.AddRow("rounds", string.Create(Invariant, $"{m.BestIteration} (best of {m.Trials} trial{(m.Trials == 1 ? "" : "s")})"));
        table.AddRow("thresholds", string.Create(Invariant,
            $"MEDIUM from {m.Thresholds.Medium:0.0000} ({m.Thresholds.MediumAlertRate:P1} budget), HIGH from {m.Thresholds.High:0.0000} ({m.Thresholds.HighAlertRate:P1} budget)"));
        foreach (var (name, metrics) in new[] { ("validation", m.Validation), ("test", m.Test) })
        {
            table.AddRow(name, string.Create(Invariant,
                $"PR-AUC {metrics.PrAuc:0.0000}, ROC-AUC {metrics.RocAuc:0.0000}, recall at 1% FPR {metrics.RecallAt1PctFpr:0.0000}, at HIGH precision {metrics.PrecisionAtHigh:0.0000} recall {metrics.RecallAtHigh:0.0000}, alert rate {metrics.AlertRate:P2}, anomaly PR-AUC {metrics.AnomalyPrAuc ?? double.NaN:0.0000}"));
        }

        console.Write(table);
    }
}
