using System.Text.Json;
using Amlfs.Engine;
using Amlfs.Learning.Anomaly;
using Amlfs.Learning.Calibration;
using Amlfs.Learning.Drift;
using Amlfs.Learning.Evaluation;
using Amlfs.Learning.Models;
using Amlfs.Learning.Training;
using Amlfs.Registry;
using Amlfs.Scoring;

namespace Amlfs.Testing;

/// <summary>
/// Small real models for tests of serving: LightGBM trained on seeded rows over the default definitions' inputs, in
/// which large amounts and busy last hours are laundering, stored in a data directory's model registry.
/// </summary>
public static class TestModels
{
    /// <summary>
    /// The inputs of a model trained on the seed's definitions, before entity types beyond the customer and the merchant:
    /// the customer's 15 features and 2 request features, the merchant's 4, and the amount.
    /// </summary>
    public static IReadOnlyList<string> SeedInputs { get; } =
    [
        "txn_amount_sum_60s", "txn_amount_sum_5m", "txn_amount_sum_1h", "txn_count_60s", "txn_count_5m", "txn_count_10m",
        "txn_count_1h", "unique_ips_1h", "unique_merchants_1h", "velocity_score_1h", "amount_deviation_score_1h",
        "night_txn_count_24h", "weekend_txn_count_7d", "avg_txn_amount_1h", "max_txn_amount_1h",
        "txn_count_60s_with_current", "txn_amount_sum_60s_with_current",
        "merchant_txn_count_1h", "merchant_txn_amount_sum_1h", "merchant_unique_customers_1h", "merchant_avg_txn_amount_1h",
        ModelInputLayout.AmountInput,
    ];

    /// <summary>The inputs of a model under the built-in definitions.</summary>
    public static IReadOnlyList<string> DefaultInputs()
    {
        var plan = FeaturePlan.Compile(DefinitionsLoader.LoadDefault());
        return ModelInputLayout.Of(plan).Names;
    }

    /// <summary>
    /// Trains a model over <paramref name="inputs"/> and stores it (not activated) in <paramref name="dataDirectory"/>,
    /// with the reference distributions of its training rows and validation scores unless <paramref name="withReference"/>
    /// is false (a version stored before drift was measured).
    /// </summary>
    public static ModelManifest Train(string dataDirectory, IReadOnlyList<string>? inputs = null, int seed = 7, bool withReference = true)
    {
        inputs ??= DefaultInputs();
        var width = inputs.Count;
        var amount = IndexOf(inputs, ModelInputLayout.AmountInput);
        var count = IndexOf(inputs, "txn_count_1h");
        var random = new Random(seed);
        LabeledMatrix Rows(int n)
        {
            var features = new double[n * width];
            var labels = new bool[n];
            for (var r = 0; r < n; r++)
            {
                var row = features.AsSpan(r * width, width);
                for (var c = 0; c < width; c++)
                    row[c] = Math.Floor(random.NextDouble() * 10);
                row[amount] = (double)TrainingAmount(random);
                var logit = -4 + (row[amount] > 8_000 ? 4 : 0) + (count >= 0 && row[count] > 7 ? 2.5 : 0) + (random.NextDouble() - 0.5);
                labels[r] = random.NextDouble() < 1 / (1 + Math.Exp(-logit));
            }

            return new LabeledMatrix(features, width, labels, featureNames: inputs);
        }

        var train = Rows(3_000);
        var validation = Rows(1_000);
        var parameters = new GradientBoostedParameters { Seed = seed, MaxRounds = 60, EarlyStoppingRounds = 20, NumLeaves = 15 };
        var model = new GradientBoostedTrainer(BinaryMetrics.AveragePrecision).Train(train, validation, parameters);
        var trees = Learning.Trees.TreeEnsemble.Parse(model.ModelText);
        var raw = new double[validation.Rows];
        trees.PredictRaw(validation.Features.Span, raw);
        var calibration = IsotonicCalibration.Fit(raw, validation.Labels.Span);
        var scores = raw.Select(calibration.Apply).ToArray();
        var high = BinaryMetrics.ThresholdForAlertRate(scores, 0.1);
        var medium = Math.Min(high, BinaryMetrics.ThresholdForAlertRate(scores, 0.3));
        var anomaly = IsolationForest.Fit(train.Features.Span, width, new IsolationForestOptions { Seed = (ulong)seed });
        var metrics = ModelMetrics.Measure(scores, validation.Labels.Span, high, []);
        var reference = withReference
            ? ReferenceDistribution.Fit(inputs, train.Features.Span, scores.Select(p => Math.Clamp(p, 0, 1)).ToArray())
            : null;
        var day = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
        return new ModelRegistry(dataDirectory).Add(new ModelManifest
        {
            Version = "",
            Kind = ModelKinds.GradientBoostedTrees,
            CreatedAt = day.AddDays(3),
            FeatureNames = inputs,
            RegistryVersion = 0,
            Window = new ModelTrainingWindow(day, day.AddDays(1), day.AddDays(2), day.AddDays(3)),
            Data = new ModelTrainingData(["test rows"], 4_000, 0, 0, new ModelRowCount(3_000, 0), new ModelRowCount(1_000, metrics.Positives), new ModelRowCount(0, 0)),
            Parameters = new Dictionary<string, string> { ["seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            BestIteration = model.BestIteration,
            Trials = 1,
            Seed = seed,
            Calibration = JsonDocument.Parse(calibration.ToJson()).RootElement.Clone(),
            Thresholds = new ModelThresholds(medium, high, 0.3, 0.1),
            Validation = metrics,
            Test = metrics,
            ModelSha256 = "",
        }, model.ModelText, anomaly.ToJson(), reference);
    }

    /// <summary>An amount as the models' training rows have them: e^(3 + 7u) for u uniform in [0, 1), about R$ 20 to R$ 22,000.</summary>
    public static decimal TrainingAmount(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return (decimal)Math.Round(Math.Exp(3 + (random.NextDouble() * 7)), 2);
    }

    /// <summary>Trains a model (<see cref="Train"/>) and makes it the active one.</summary>
    public static ModelManifest TrainAndActivate(string dataDirectory, IReadOnlyList<string>? inputs = null, int seed = 7, bool withReference = true)
    {
        var manifest = Train(dataDirectory, inputs, seed, withReference);
        new ModelRegistry(dataDirectory).Activate(manifest.Version, DateTimeOffset.UtcNow);
        return manifest;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
                return i;
        }

        return -1;
    }
}
