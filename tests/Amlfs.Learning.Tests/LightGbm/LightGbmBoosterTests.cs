using Amlfs.Learning.LightGbm;
using Amlfs.Learning.Trees;

namespace Amlfs.Learning.Tests.LightGbm;

public sealed class LightGbmBoosterTests
{
    private static readonly SyntheticRows Rows = SyntheticRows.Create(2_000, 12, seed: 21);

    [Fact]
    public void Model_text_survives_a_load_and_a_save_unchanged()
    {
        var text = LightGbmModels.Train(Rows, "num_leaves=15", iterations: 20);

        using var loaded = LightGbmBooster.LoadModelFromString(text);

        Assert.Equal(20, loaded.CurrentIteration);
        Assert.Equal(12, loaded.FeatureCount);
        Assert.Equal(text, loaded.SaveModelToString());
    }

    [Fact]
    public void Saving_at_an_iteration_keeps_the_trees_up_to_it()
    {
        var text = LightGbmModels.Train(Rows, "num_leaves=15", iterations: 20);
        using var loaded = LightGbmBooster.LoadModelFromString(text);

        var cut = loaded.SaveModelToString(iterations: 7);

        Assert.Equal(7, TreeEnsemble.Parse(cut).TreeCount);
    }

    [Fact]
    public void A_failed_call_throws_with_the_message_of_LightGBM()
    {
        var error = Assert.Throws<LightGbmException>(() => LightGbmBooster.LoadModelFromString("tree\nnot a model"));

        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.DoesNotContain("without a message", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_predictions_are_the_predictions_of_the_validation_rows()
    {
        var validation = SyntheticRows.Create(500, 12, seed: 22);
        using var booster = LightGbmModels.CreateBooster(Rows, "num_leaves=15", out var train);
        using var validationSet = LightGbmDataset.FromMatrix(validation.Features, 12, LightGbmModels.Quiet, train);
        validationSet.SetLabels(LightGbmModels.Labels(validation));
        var index = booster.AddValidation(validationSet);
        for (var i = 0; i < 10; i++)
        {
            booster.UpdateOneIteration();
        }

        var predictions = new double[booster.GetPredictionCount(index)];
        booster.GetPredictions(index, predictions);
        var expected = booster.PredictForMatrix(validation.Features, LightGbmPredictionKind.Normal);

        Assert.Equal(1, index);
        Assert.Equal(validation.Rows, predictions.Length);
        Assert.Equal(expected, predictions, (a, b) => Math.Abs(a - b) < 1e-12);
        train.Dispose();
    }

    [Theory]
    [InlineData(LightGbmPredictionKind.Normal)]
    [InlineData(LightGbmPredictionKind.RawScore)]
    [InlineData(LightGbmPredictionKind.Contributions)]
    public void The_single_row_fast_path_agrees_with_the_matrix_prediction(LightGbmPredictionKind kind)
    {
        var text = LightGbmModels.Train(Rows, "num_leaves=15", iterations: 20);
        using var booster = LightGbmBooster.LoadModelFromString(text);
        var expected = booster.PredictForMatrix(Rows.Features.AsSpan(0, 50 * 12), kind);
        using var predictor = booster.CreateSingleRowPredictor(kind, parameters: "num_threads=1");
        var output = new double[predictor.OutputLength];

        for (var row = 0; row < 50; row++)
        {
            predictor.Predict(Rows.Row(row), output);

            Assert.Equal(expected.AsSpan(row * output.Length, output.Length).ToArray(), output);
        }
    }

    [Fact]
    public void Feature_names_and_weights_reach_the_model()
    {
        string[] names = [.. Enumerable.Range(0, 12).Select(i => $"feature_{i}")];
        using var dataset = LightGbmDataset.FromMatrix(Rows.Features, 12, LightGbmModels.Quiet);
        dataset.SetLabels(LightGbmModels.Labels(Rows));
        dataset.SetWeights([.. Enumerable.Range(0, Rows.Rows).Select(i => i % 2 == 0 ? 1f : 3f)]);
        dataset.SetFeatureNames(names);
        using var booster = LightGbmBooster.Create(dataset, $"{LightGbmModels.Quiet} num_leaves=7");
        booster.UpdateOneIteration();

        var ensemble = TreeEnsemble.Parse(booster.SaveModelToString());

        Assert.Equal(names, ensemble.FeatureNames);
    }

    [Fact]
    public void A_float_matrix_bins_like_a_double_matrix()
    {
        var floats = Rows.Features.Select(value => (float)value).ToArray();
        using var dataset = LightGbmDataset.FromMatrix(floats, 12, LightGbmModels.Quiet);

        Assert.Equal(Rows.Rows, dataset.Rows);
        Assert.Equal(12, dataset.Columns);
    }
}
