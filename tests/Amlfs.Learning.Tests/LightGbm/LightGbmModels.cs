using Amlfs.Learning.LightGbm;

namespace Amlfs.Learning.Tests.LightGbm;

/// <summary>Trains LightGBM models straight through the C API wrappers, with any parameter string.</summary>
internal static class LightGbmModels
{
    /// <summary>Deterministic single-threaded training, quiet; the caller's parameters come after and win.</summary>
    public const string Quiet = "objective=binary deterministic=true force_row_wise=true num_threads=1 verbosity=-1 seed=7";

    public static string Train(SyntheticRows rows, string parameters, int iterations)
    {
        using var booster = CreateBooster(rows, parameters, out var dataset);
        using (dataset)
        {
            for (var i = 0; i < iterations; i++)
            {
                if (booster.UpdateOneIteration())
                {
                    break;
                }
            }

            return booster.SaveModelToString();
        }
    }

    public static LightGbmBooster CreateBooster(SyntheticRows rows, string parameters, out LightGbmDataset dataset)
    {
        var all = $"{Quiet} {parameters}";
        dataset = LightGbmDataset.FromMatrix(rows.Features, rows.Columns, all);
        dataset.SetLabels(Labels(rows));
        return LightGbmBooster.Create(dataset, all);
    }

    public static float[] Labels(SyntheticRows rows) => [.. rows.Labels.Select(label => label ? 1f : 0f)];
}
