using Amlfs.Learning.LightGbm;
using Amlfs.Learning.Trees;
using BenchmarkDotNet.Attributes;

namespace Amlfs.Benchmarks.Learning;

/// <summary>
/// Scoring and explaining one request with a model of the size served: 300 trees of depth 6 (63 leaves, tiny
/// leaves allowed, so the trees are full) over 25 features, trained in GlobalSetup by LightGBM on seeded synthetic
/// rows with NaNs and zeros. One operation is one row, taken in turn from 1,024 rows unlike the training ones.
/// <see cref="Explain"/> is the whole per-request work of an explained score (the raw score and one SHAP value per
/// feature); the LightGBM rows are its own single-row fast path, for comparison.
/// </summary>
[MemoryDiagnoser]
public class TreeShapBenchmarks
{
    private const int Features = 25;
    private const int Rows = 1_024;

    private double[] _rows = [];
    private readonly double[] _contributions = new double[Features];
    private readonly double[] _lightGbmOutput = new double[Features + 1];
    private TreeEnsemble _ensemble = null!;
    private TreeShapExplainer _explainer = null!;
    private LightGbmBooster _booster = null!;
    private LightGbmSingleRowPredictor _lightGbmRaw = null!;
    private LightGbmSingleRowPredictor _lightGbmContributions = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        const string parameters =
            "objective=binary num_leaves=63 max_depth=6 min_data_in_leaf=2 min_sum_hessian_in_leaf=0 learning_rate=0.05 " +
            "deterministic=true force_row_wise=true num_threads=1 verbosity=-1 seed=1";
        var (train, labels) = Synthetic(20_000, seed: 1);
        using (var dataset = LightGbmDataset.FromMatrix(train, Features, parameters))
        {
            dataset.SetLabels(labels);
            using var trainer = LightGbmBooster.Create(dataset, parameters);
            for (var iteration = 0; iteration < 300; iteration++)
            {
                trainer.UpdateOneIteration();
            }

            var modelText = trainer.SaveModelToString();
            _ensemble = TreeEnsemble.Parse(modelText);
            _booster = LightGbmBooster.LoadModelFromString(modelText);
        }

        _explainer = new TreeShapExplainer(_ensemble);
        _lightGbmRaw = _booster.CreateSingleRowPredictor(LightGbmPredictionKind.RawScore, parameters: "num_threads=1");
        _lightGbmContributions = _booster.CreateSingleRowPredictor(LightGbmPredictionKind.Contributions, parameters: "num_threads=1");
        _rows = Synthetic(Rows, seed: 2).Features;
        Console.WriteLine($"// {_ensemble.TreeCount} trees, max depth {_ensemble.MaxDepth}, {_ensemble.LeafValues.Length} leaves");
    }

    [Benchmark]
    public double PredictRaw() => _ensemble.PredictRaw(NextRow());

    [Benchmark]
    public double Explain()
    {
        var baseValue = _explainer.Explain(NextRow(), _contributions, out var rawScore);
        return baseValue + rawScore;
    }

    [Benchmark]
    public double LightGbmRaw()
    {
        _lightGbmRaw.Predict(NextRow(), _lightGbmOutput);
        return _lightGbmOutput[0];
    }

    [Benchmark]
    public double LightGbmContributions()
    {
        _lightGbmContributions.Predict(NextRow(), _lightGbmOutput);
        return _lightGbmOutput[Features];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _lightGbmContributions.Dispose();
        _lightGbmRaw.Dispose();
        _booster.Dispose();
    }

    private ReadOnlySpan<double> NextRow()
    {
        var row = _next;
        _next = (_next + 1) % Rows;
        return _rows.AsSpan(row * Features, Features);
    }

    /// <summary>Gaussian features, 3% NaN and 10% exact zeros, labels from a noisy logistic model of a dozen of them.</summary>
    private static (double[] Features, float[] Labels) Synthetic(int rows, int seed)
    {
        var random = new Random(seed);
        var features = new double[rows * Features];
        var labels = new float[rows];
        for (var row = 0; row < rows; row++)
        {
            var x = features.AsSpan(row * Features, Features);
            for (var column = 0; column < Features; column++)
            {
                var draw = random.NextDouble();
                x[column] = draw < 0.03 ? double.NaN : draw > 0.9 ? 0.0 : Gaussian(random);
            }

            var logit = -1.5 + Gaussian(random);
            for (var column = 0; column < 12; column++)
            {
                var value = double.IsNaN(x[column]) ? 1.0 : x[column];
                logit += (column % 3) switch
                {
                    0 => 0.6 * value,
                    1 => Math.Sin(2 * value),
                    _ => 0.5 * value * (double.IsNaN(x[column + 5]) ? 0.0 : x[column + 5]),
                };
            }

            labels[row] = random.NextDouble() < 1 / (1 + Math.Exp(-logit)) ? 1f : 0f;
        }

        return (features, labels);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
