using Amlfs.Learning.LightGbm;
using Amlfs.Learning.Tests.LightGbm;

namespace Amlfs.Learning.Tests.Trees;

/// <summary>
/// Real models trained once per test class: two with deep trees (63 leaves, no depth limit, tiny leaves), two with
/// shallow full trees (depth 6 and 5, as served); of each, one with LightGBM's default missing-value handling
/// (missing type NaN for the columns with NaNs in training, None for the rest) and one with
/// <c>zero_as_missing=true</c> (missing type Zero). The probe rows have NaNs and zeros in every column, so NaNs reach
/// splits of every missing type.
/// </summary>
public sealed class TrainedModels
{
    private const string Deep = "num_leaves=63 min_data_in_leaf=3 min_sum_hessian_in_leaf=0 learning_rate=0.1 max_bin=63";
    private const string Shallow = "num_leaves=63 max_depth=6 min_data_in_leaf=3 min_sum_hessian_in_leaf=0 learning_rate=0.1 max_bin=63";

    public TrainedModels()
    {
        var training = SyntheticRows.Create(3_000, 16, seed: 11);
        NaNMissing = LightGbmModels.Train(training, Deep, iterations: 40);
        ZeroMissing = LightGbmModels.Train(training, $"{Deep} zero_as_missing=true", iterations: 40);
        ShallowNaNMissing = LightGbmModels.Train(training, Shallow, iterations: 30);
        ShallowZeroMissing = LightGbmModels.Train(training, $"{Shallow} max_depth=5 zero_as_missing=true", iterations: 30);
        Probes = SyntheticRows.Create(400, 16, seed: 12, missingShare: 0.1, zeroShare: 0.1, missingColumns: 16);
    }

    public string NaNMissing { get; }

    public string ZeroMissing { get; }

    public string ShallowNaNMissing { get; }

    public string ShallowZeroMissing { get; }

    public SyntheticRows Probes { get; }

    public string this[string name] => name switch
    {
        nameof(NaNMissing) => NaNMissing,
        nameof(ZeroMissing) => ZeroMissing,
        nameof(ShallowNaNMissing) => ShallowNaNMissing,
        nameof(ShallowZeroMissing) => ShallowZeroMissing,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such model"),
    };

    public double[] LightGbmPrediction(string modelText, LightGbmPredictionKind kind)
    {
        using var booster = LightGbmBooster.LoadModelFromString(modelText);
        return booster.PredictForMatrix(Probes.Features, kind, parameters: "num_threads=1");
    }
}
