using Amlfs.Learning.LightGbm;
using Amlfs.Learning.Training;
using Amlfs.Learning.Trees;

namespace Amlfs.Learning.Tests.Training;

public sealed class GradientBoostedTrainerTests
{
    private static readonly GradientBoostedTrainer Trainer = new(AveragePrecision.Of);

    private static readonly GradientBoostedParameters Small = new()
    {
        NumLeaves = 15,
        LearningRate = 0.1,
        MinDataInLeaf = 10,
        FeatureFraction = 0.8,
        BaggingFraction = 0.8,
        BaggingFrequency = 1,
        MaxRounds = 40,
        EarlyStoppingRounds = 40,
        Seed = 5,
    };

    [Fact]
    public void Training_twice_on_the_same_data_gives_the_same_model_text()
    {
        var (train, validation) = Split(SyntheticRows.Create(3_000, 14, seed: 31));

        var first = Trainer.Train(train, validation, Small);
        var second = Trainer.Train(train, validation, Small);

        Assert.Equal(first.ModelText, second.ModelText);
        Assert.Equal(first.ValidationCurve, second.ValidationCurve);
    }

    [Fact]
    public void Another_seed_gives_another_model()
    {
        var (train, validation) = Split(SyntheticRows.Create(3_000, 14, seed: 31));

        var first = Trainer.Train(train, validation, Small);
        var second = Trainer.Train(train, validation, Small with { Seed = 6 });

        Assert.NotEqual(first.ModelText, second.ModelText);
    }

    [Fact]
    public void Early_stopping_stops_once_the_validation_score_has_peaked()
    {
        // Few noisy rows, big trees and a high learning rate: the model overfits within a few iterations.
        var (train, validation) = Split(SyntheticRows.Create(1_200, 14, seed: 32, noise: 2.5));
        var overfitting = Small with
        {
            NumLeaves = 63,
            MinDataInLeaf = 2,
            LearningRate = 0.5,
            BaggingFrequency = 0,
            MaxRounds = 300,
            EarlyStoppingRounds = 10,
        };

        var model = Trainer.Train(train, validation, overfitting);

        Assert.True(model.ValidationCurve.Count < 300, $"{model.ValidationCurve.Count} iterations");
        Assert.Equal(model.BestIteration + 10, model.ValidationCurve.Count);
        Assert.Equal(model.ValidationCurve.Max(), model.BestValidationScore);
        Assert.Equal(model.BestValidationScore, model.ValidationCurve[model.BestIteration - 1]);
    }

    [Fact]
    public void The_model_keeps_the_trees_up_to_the_best_iteration()
    {
        var (train, validation) = Split(SyntheticRows.Create(1_200, 14, seed: 32, noise: 2.5));

        var model = Trainer.Train(train, validation, Small with { NumLeaves = 63, MinDataInLeaf = 2, LearningRate = 0.5, MaxRounds = 60 });

        Assert.True(model.BestIteration < 60, $"best iteration {model.BestIteration}");
        Assert.Equal(model.BestIteration, TreeEnsemble.Parse(model.ModelText).TreeCount);
        using var booster = LightGbmBooster.LoadModelFromString(model.ModelText);
        var probabilities = booster.PredictForMatrix(validation.Features.Span, LightGbmPredictionKind.Normal);
        Assert.Equal(model.BestValidationScore, AveragePrecision.Of(probabilities, validation.Labels.Span), 1e-12);
    }

    [Fact]
    public void The_class_weight_defaults_to_the_square_root_of_negatives_per_positive()
    {
        var (train, validation) = Split(SyntheticRows.Create(2_000, 14, seed: 33));
        var positives = train.Labels.ToArray().Count(label => label);

        var model = Trainer.Train(train, validation, Small with { MaxRounds = 3 });

        Assert.Equal(Math.Sqrt((double)(train.Rows - positives) / positives), model.Parameters.ScalePosWeight);
        Assert.Contains($"[scale_pos_weight: ", model.ModelText, StringComparison.Ordinal);
    }

    [Fact]
    public void Feature_names_and_weights_are_trained_with()
    {
        var rows = SyntheticRows.Create(2_000, 14, seed: 34);
        string[] names = [.. Enumerable.Range(0, 14).Select(i => $"f{i}")];
        var weights = Enumerable.Range(0, 1_500).Select(i => i % 3 == 0 ? 2f : 1f).ToArray();
        var train = new LabeledMatrix(rows.Features.AsMemory(0, 1_500 * 14), 14, rows.Labels.AsMemory(0, 1_500), weights, names);
        var validation = new LabeledMatrix(rows.Features.AsMemory(1_500 * 14), 14, rows.Labels.AsMemory(1_500), featureNames: names);

        var weighted = Trainer.Train(train, validation, Small with { MaxRounds = 5 });
        var unweighted = Trainer.Train(new LabeledMatrix(train.Features, 14, train.Labels, featureNames: names), validation, Small with { MaxRounds = 5 });

        Assert.Equal(names, TreeEnsemble.Parse(weighted.ModelText).FeatureNames);
        Assert.NotEqual(unweighted.ModelText, weighted.ModelText);
    }

    [Fact]
    public void The_parameter_string_asks_for_a_deterministic_binary_model()
    {
        var text = (Small with { ScalePosWeight = 2.5, Threads = 2 }).ToLightGbmString();

        string[] expected =
        [
            "objective=binary", "num_leaves=15", "max_depth=-1", "learning_rate=0.1", "min_data_in_leaf=10", "feature_fraction=0.8",
            "bagging_fraction=0.8", "bagging_freq=1", "lambda_l1=0", "lambda_l2=0", "scale_pos_weight=2.5", "seed=5", "bagging_seed=5",
            "feature_fraction_seed=5", "data_random_seed=5", "deterministic=true", "force_row_wise=true", "num_threads=2", "verbosity=-1",
        ];
        Assert.All(expected, setting => Assert.Contains(setting, text.Split(' ')));
    }

    [Fact]
    public void Labels_of_one_class_are_refused()
    {
        var rows = SyntheticRows.Create(200, 14, seed: 35);
        var allNegative = new LabeledMatrix(rows.Features, 14, new bool[200]);

        Assert.Throws<ArgumentException>(() => Trainer.Train(allNegative, allNegative, Small));
    }

    internal static (LabeledMatrix Train, LabeledMatrix Validation) Split(SyntheticRows rows)
    {
        var trainRows = rows.Rows * 3 / 4;
        var columns = rows.Columns;
        return (
            new LabeledMatrix(rows.Features.AsMemory(0, trainRows * columns), columns, rows.Labels.AsMemory(0, trainRows)),
            new LabeledMatrix(rows.Features.AsMemory(trainRows * columns), columns, rows.Labels.AsMemory(trainRows)));
    }
}
