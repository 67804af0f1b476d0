namespace Amlfs.Learning.Training;

/// <summary>
/// A seeded random search over the tree and regularisation parameters: trial 0 trains the base parameters, every
/// later trial a set drawn from fixed ranges around them, and the best validation score wins. The draws depend on
/// the seed alone, so a search is repeatable; the rounds, early stopping, class weight, seed and threads are the
/// base's in every trial.
/// </summary>
public sealed class HyperparameterSearch(GradientBoostedTrainer trainer)
{
    private static readonly int[] MaxDepths = [-1, 4, 5, 6, 8, 10];
    private static readonly int[] BaggingFrequencies = [0, 1, 5];

    private readonly GradientBoostedTrainer _trainer = trainer ?? throw new ArgumentNullException(nameof(trainer));

    /// <summary>
    /// The parameter sets of a search of <paramref name="trials"/> trials: <paramref name="baseParameters"/> first, then
    /// draws from <paramref name="seed"/>. Ranges: num_leaves 8 to 128 and min_data_in_leaf 5 to 200 and
    /// learning_rate 0.01 to 0.2 log-uniform; max_depth one of -1, 4, 5, 6, 8, 10; feature and bagging fractions 0.5
    /// to 1; bagging_freq one of 0, 1, 5; each of lambda_l1 and lambda_l2 0 half the time, else 0.001 to 10 log-uniform.
    /// </summary>
    public static IReadOnlyList<GradientBoostedParameters> Draw(GradientBoostedParameters baseParameters, int seed, int trials)
    {
        ArgumentNullException.ThrowIfNull(baseParameters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(trials);
        var random = new Random(seed);
        var draws = new List<GradientBoostedParameters>(trials) { baseParameters };
        while (draws.Count < trials)
        {
            draws.Add(baseParameters with
            {
                NumLeaves = (int)Math.Round(LogUniform(random, 8, 128)),
                MaxDepth = MaxDepths[random.Next(MaxDepths.Length)],
                LearningRate = Math.Round(LogUniform(random, 0.01, 0.2), 4),
                MinDataInLeaf = (int)Math.Round(LogUniform(random, 5, 200)),
                FeatureFraction = Math.Round(0.5 + (0.5 * random.NextDouble()), 2),
                BaggingFraction = Math.Round(0.5 + (0.5 * random.NextDouble()), 2),
                BaggingFrequency = BaggingFrequencies[random.Next(BaggingFrequencies.Length)],
                LambdaL1 = Regularisation(random),
                LambdaL2 = Regularisation(random),
            });
        }

        return draws;
    }

    /// <summary>
    /// Trains every drawn parameter set on <paramref name="train"/>, validating on <paramref name="validation"/>,
    /// reports each trial as it finishes, and returns the trials with the best one's model.
    /// </summary>
    public HyperparameterSearchResult Run(
        LabeledMatrix train,
        LabeledMatrix validation,
        GradientBoostedParameters baseParameters,
        int seed,
        int trials,
        Action<HyperparameterTrial>? report = null)
    {
        var results = new List<HyperparameterTrial>(trials);
        HyperparameterTrial? bestTrial = null;
        GradientBoostedModel? bestModel = null;
        foreach (var parameters in Draw(baseParameters, seed, trials))
        {
            var model = _trainer.Train(train, validation, parameters);
            var trial = new HyperparameterTrial(results.Count, parameters, model.BestValidationScore, model.BestIteration);
            results.Add(trial);
            report?.Invoke(trial);
            if (bestTrial is null || trial.ValidationScore > bestTrial.ValidationScore)
            {
                bestTrial = trial;
                bestModel = model;
            }
        }

        return new HyperparameterSearchResult(results, bestTrial!, bestModel!);
    }

    private static double LogUniform(Random random, double low, double high) =>
        Math.Exp(Math.Log(low) + (random.NextDouble() * (Math.Log(high) - Math.Log(low))));

    private static double Regularisation(Random random) =>
        random.NextDouble() < 0.5 ? 0.0 : Math.Round(LogUniform(random, 0.001, 10), 4);
}
