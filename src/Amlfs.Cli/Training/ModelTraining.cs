using System.Globalization;
using System.Text.Json;
using Amlfs.Engine;
using Amlfs.Learning.Anomaly;
using Amlfs.Learning.Calibration;
using Amlfs.Learning.Drift;
using Amlfs.Learning.Evaluation;
using Amlfs.Learning.Models;
using Amlfs.Learning.Training;
using Amlfs.Learning.Trees;
using Amlfs.OfflineStore;
using Amlfs.Parquet.Training;
using Amlfs.Scoring;
using Amlfs.Storage;
using Spectre.Console;

namespace Amlfs.Cli.Training;

/// <summary>
/// Trains a risk model from the offline store of a data directory and stores it as a new version:
/// <list type="number">
/// <item>the point-in-time training set of every labelled transaction in [from, to), labelled by what was known before
/// the cut-off <c>to</c>, computed by the engine under the active definitions (<see cref="TrainingSetBuilder"/>);</item>
/// <item>split by time: test is the last <c>test-days</c>, validation the <c>validation-days</c> before it, training
/// the rest, so no row of a later period is in an earlier one;</item>
/// <item>gradient-boosted trees (LightGBM), positives weighted by the negatives-to-positives ratio, each trial stopped
/// early on validation PR-AUC, over a seeded random search of <c>trials</c> parameter sets;</item>
/// <item>calibration on validation, thresholds for the alert budgets on validation's calibrated scores, an isolation
/// forest on the training rows, and the metrics on validation and test;</item>
/// <item>the reference distributions drift is measured against: each input's deciles over the training rows, and the
/// score's over validation, which the trees did not learn from, as live traffic is (<see cref="ReferenceDistribution"/>).</item>
/// </list>
/// Same store, same options, same seed: the same model text.
/// </summary>
internal static class ModelTraining
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static async Task<ModelManifest> RunAsync(
        IAnsiConsole console, string root, ModelTrainingOptions options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var registryVersion = new RegistryStore(root).Active;
        var plan = FeaturePlan.Compile(registryVersion.Definition);
        if (plan.Entity("customer") is null)
            throw new InvalidDataException("the active definitions have no customer entity");
        var layout = ModelInputLayout.Of(plan);
        var (from, to) = Window(root, options);
        var testFrom = to.AddDays(-options.TestDays);
        var validationFrom = testFrom.AddDays(-options.ValidationDays);
        if (validationFrom <= from)
        {
            throw new InvalidDataException(string.Create(Invariant,
                $"the window {from:yyyy-MM-dd} to {to:yyyy-MM-dd} leaves no training period before {options.ValidationDays} validation and {options.TestDays} test days"));
        }

        var selection = new TransactionRowSelection(from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds())
        {
            CutoffMs = to.ToUnixTimeMilliseconds(),
            ExtraLabels = options.ExtraLabels,
        };
        var set = await TrainingSetProgressBars.ComputeAsync(
            console, root, plan, EngineOptions.From(registryVersion.Definition), selection, options.Parallelism, cancellationToken).ConfigureAwait(false);
        var validationStart = ModelMatrix.FirstAtOrAfter(set, validationFrom.ToUnixTimeMilliseconds());
        var testStart = ModelMatrix.FirstAtOrAfter(set, testFrom.ToUnixTimeMilliseconds());
        var inputs = layout.Names;
        var train = Matrix(set, inputs, 0, validationStart, "training");
        var validation = Matrix(set, inputs, validationStart, testStart, "validation");
        var test = Matrix(set, inputs, testStart, set.Count, "test");

        var baseParameters = new GradientBoostedParameters
        {
            Seed = options.Seed,
            MaxRounds = options.MaxRounds,
            EarlyStoppingRounds = options.EarlyStoppingRounds,
            ScalePosWeight = GradientBoostedTrainer.DefaultScalePosWeight(train.Labels.Span),
            Threads = options.Parallelism,
        };
        var search = new HyperparameterSearch(new GradientBoostedTrainer(BinaryMetrics.AveragePrecision));
        HyperparameterSearchResult result = null!;
        console.Progress().AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var trials = context.AddTask("Train gradient-boosted trees", maxValue: options.Trials);
                result = search.Run(train, validation, baseParameters, options.Seed, options.Trials, trial =>
                {
                    trials.Increment(1);
                    console.MarkupLine(Markup.Escape(string.Create(Invariant,
                        $"trial {trial.Index + 1}/{options.Trials}: validation PR-AUC {trial.ValidationScore:0.0000} at {trial.BestIteration} rounds; {Describe(trial.Parameters)}")));
                });
            });

        var modelText = result.BestModel.ModelText;
        var trees = TreeEnsemble.Parse(modelText);
        var validationRaw = RawScores(trees, validation);
        var testRaw = RawScores(trees, test);
        ProbabilityCalibration calibration = options.Calibration == "platt"
            ? PlattCalibration.Fit(validationRaw, validation.Labels.Span)
            : IsotonicCalibration.Fit(validationRaw, validation.Labels.Span);
        var validationScores = Calibrated(calibration, validationRaw);
        var testScores = Calibrated(calibration, testRaw);
        var high = BinaryMetrics.ThresholdForAlertRate(validationScores, options.HighAlertRate);
        var medium = Math.Min(high, BinaryMetrics.ThresholdForAlertRate(validationScores, options.MediumAlertRate));

        var anomaly = IsolationForest.Fit(train.Features.Span, train.Columns, new IsolationForestOptions { Seed = (ulong)options.Seed });
        var validationAnomaly = new double[validation.Rows];
        var testAnomaly = new double[test.Rows];
        anomaly.Score(validation.Features.Span, validationAnomaly);
        anomaly.Score(test.Features.Span, testAnomaly);

        // Unrounded, as serving gives drift the probability it decides the level on: the same trees and calibration
        // give the same doubles, so a step of an isotonic calibration lands in the same bin on both sides.
        var reference = ReferenceDistribution.Fit(inputs, train.Features.Span, validationScores);

        var registry = new ModelRegistry(root);
        var manifest = registry.Add(new ModelManifest
        {
            Version = "",
            Kind = ModelKinds.GradientBoostedTrees,
            CreatedAt = clock.GetUtcNow(),
            FeatureNames = inputs,
            RegistryVersion = registryVersion.Number,
            Window = new ModelTrainingWindow(from, validationFrom, testFrom, to),
            Data = new ModelTrainingData(
                [DatasetLayout.TransactionsFolder + "/ (" + set.Summary.Files.ToString(Invariant) + " files)", .. OptionalSource(options.LabelsFile)],
                set.Summary.HistoryTransactions, set.Labelling.Applied, set.Labelling.AfterCutoff,
                Count(train), Count(validation), Count(test)),
            Parameters = Parameters(result.BestTrial.Parameters),
            BestIteration = result.BestModel.BestIteration,
            Trials = options.Trials,
            Seed = options.Seed,
            Calibration = JsonDocument.Parse(calibration.ToJson()).RootElement.Clone(),
            Thresholds = new ModelThresholds(medium, high, options.MediumAlertRate, options.HighAlertRate),
            Validation = ModelMetrics.Measure(validationScores, validation.Labels.Span, high, validationAnomaly),
            Test = ModelMetrics.Measure(testScores, test.Labels.Span, high, testAnomaly),
            ModelSha256 = "",
        }, modelText, anomaly.ToJson(), reference);
        return manifest;
    }

    /// <summary>Raw scores (log-odds) of every row, as the served model computes them.</summary>
    public static double[] RawScores(TreeEnsemble trees, LabeledMatrix rows)
    {
        var scores = new double[rows.Rows];
        trees.PredictRaw(rows.Features.Span, scores);
        return scores;
    }

    /// <summary>
    /// Calibrated probabilities, unrounded: the level of a transaction is decided on these (<c>/predict</c> shows them
    /// rounded to four decimals), so thresholds chosen on them hold in serving.
    /// </summary>
    public static double[] Calibrated(ProbabilityCalibration calibration, double[] raw) =>
        raw.Select(r => Math.Clamp(calibration.Apply(r), 0, 1)).ToArray();

    private static LabeledMatrix Matrix(TransactionTrainingSet set, IReadOnlyList<string> inputs, int start, int end, string period)
    {
        var labels = set.Labels[start..end];
        if (labels.Length == 0 || !labels.Contains(true) || !labels.Contains(false))
        {
            throw new InvalidDataException(string.Create(Invariant,
                $"the {period} period has {labels.Length} labelled rows, {labels.Count(l => l)} of them positive: it needs positives and negatives (widen --from/--to or change --validation-days/--test-days)"));
        }

        return new LabeledMatrix(ModelMatrix.From(set, inputs, start, end), inputs.Count, labels, featureNames: inputs);
    }

    /// <summary>The window asked for, or the store's whole days.</summary>
    private static (DateTimeOffset From, DateTimeOffset To) Window(string root, ModelTrainingOptions options)
    {
        var dates = DatasetLayout.PartitionDates(root);
        if (dates.Count == 0 && (options.From is null || options.To is null))
            throw new InvalidDataException($"the offline store at {root} holds no transactions: run `amlfs generate` or `amlfs import` first");
        var from = options.From ?? new DateTimeOffset(dates[0].ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var to = options.To ?? new DateTimeOffset(dates[^1].AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        if (to <= from)
            throw new InvalidDataException(string.Create(Invariant, $"--to ({to:O}) must be after --from ({from:O})"));
        return (from, to);
    }

    private static IEnumerable<string> OptionalSource(string? file) => file is null ? [] : [file];

    private static ModelRowCount Count(LabeledMatrix rows)
    {
        var positives = 0L;
        foreach (var label in rows.Labels.Span)
            positives += label ? 1 : 0;
        return new ModelRowCount(rows.Rows, positives);
    }

    private static Dictionary<string, string> Parameters(GradientBoostedParameters parameters) =>
        parameters.ToLightGbmString().Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal);

    private static string Describe(GradientBoostedParameters p) => string.Create(Invariant,
        $"num_leaves={p.NumLeaves} max_depth={p.MaxDepth} learning_rate={p.LearningRate:0.####} min_data_in_leaf={p.MinDataInLeaf} "
        + $"feature_fraction={p.FeatureFraction:0.##} bagging_fraction={p.BaggingFraction:0.##} lambda_l2={p.LambdaL2:0.###}");
}
