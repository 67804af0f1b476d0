using Amlfs.Learning.Training;

namespace Amlfs.Learning.Tests.Training;

public sealed class HyperparameterSearchTests
{
    private static readonly GradientBoostedParameters Base = new()
    {
        NumLeaves = 15,
        LearningRate = 0.1,
        MinDataInLeaf = 10,
        MaxRounds = 30,
        EarlyStoppingRounds = 10,
        Seed = 9,
    };

    [Fact]
    public void The_search_reports_every_trial_and_starts_from_the_base_parameters()
    {
        var (train, validation) = GradientBoostedTrainerTests.Split(SyntheticRows.Create(2_000, 14, seed: 41));
        var reported = new List<HyperparameterTrial>();

        var result = new HyperparameterSearch(new GradientBoostedTrainer(AveragePrecision.Of)).Run(train, validation, Base, seed: 3, trials: 4, reported.Add);

        Assert.Equal([0, 1, 2, 3], reported.Select(trial => trial.Index));
        Assert.Equal(reported, result.Trials);
        Assert.Equal(Base, reported[0].Parameters);
        Assert.Equal(HyperparameterSearch.Draw(Base, 3, 4), reported.Select(trial => trial.Parameters));
        Assert.Equal(reported.Max(trial => trial.ValidationScore), result.BestTrial.ValidationScore);
        Assert.Equal(result.BestTrial.ValidationScore, result.BestModel.BestValidationScore);
        Assert.Equal(result.BestTrial.BestIteration, result.BestModel.BestIteration);
        Assert.All(reported, trial => Assert.InRange(trial.BestIteration, 1, 30));
    }

    [Fact]
    public void The_same_seed_draws_the_same_parameters_and_another_seed_others()
    {
        var first = HyperparameterSearch.Draw(Base, seed: 17, trials: 8);
        var again = HyperparameterSearch.Draw(Base, seed: 17, trials: 8);
        var other = HyperparameterSearch.Draw(Base, seed: 18, trials: 8);

        Assert.Equal(first, again);
        Assert.Equal(Base, other[0]);
        Assert.NotEqual(first.Skip(1), other.Skip(1));
        Assert.Equal(8, first.Distinct().Count());
    }

    [Fact]
    public void Draws_change_the_tree_parameters_and_keep_the_rounds_seed_and_threads()
    {
        var draws = HyperparameterSearch.Draw(Base with { ScalePosWeight = 4 }, seed: 5, trials: 20).Skip(1).ToList();

        Assert.All(draws, draw =>
        {
            Assert.InRange(draw.NumLeaves, 8, 128);
            Assert.InRange(draw.LearningRate, 0.01, 0.2);
            Assert.InRange(draw.MinDataInLeaf, 5, 200);
            Assert.InRange(draw.FeatureFraction, 0.5, 1);
            Assert.InRange(draw.BaggingFraction, 0.5, 1);
            Assert.Equal((30, 10, 9, 1, 4.0), (draw.MaxRounds, draw.EarlyStoppingRounds, draw.Seed, draw.Threads, draw.ScalePosWeight));
        });
    }
}
