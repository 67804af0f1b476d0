using System.Globalization;

namespace Amlfs.Learning.Training;

/// <summary>
/// The settings of one gradient-boosted binary classifier: LightGBM's tree and regularisation parameters, plus the
/// boosting rounds and early stopping that <see cref="GradientBoostedTrainer"/> runs itself. Training is
/// deterministic: the same data and parameters give byte-identical model text, <see cref="Threads"/> included.
/// </summary>
public sealed record GradientBoostedParameters
{
    /// <summary>The most leaves a tree has (<c>num_leaves</c>).</summary>
    public int NumLeaves { get; init; } = 31;

    /// <summary>The deepest a tree grows (<c>max_depth</c>); -1 for no limit beyond <see cref="NumLeaves"/>.</summary>
    public int MaxDepth { get; init; } = -1;

    public double LearningRate { get; init; } = 0.05;

    /// <summary>The fewest training rows a leaf holds (<c>min_data_in_leaf</c>).</summary>
    public int MinDataInLeaf { get; init; } = 20;

    /// <summary>The share of features each tree draws (<c>feature_fraction</c>).</summary>
    public double FeatureFraction { get; init; } = 1.0;

    /// <summary>The share of rows drawn every <see cref="BaggingFrequency"/> iterations (<c>bagging_fraction</c>).</summary>
    public double BaggingFraction { get; init; } = 1.0;

    /// <summary>How often the rows are drawn again (<c>bagging_freq</c>); 0 turns bagging off.</summary>
    public int BaggingFrequency { get; init; }

    public double LambdaL1 { get; init; }

    public double LambdaL2 { get; init; }

    /// <summary>
    /// The weight of the positive class's gradients (<c>scale_pos_weight</c>), for class imbalance. Null lets the
    /// trainer take the square root of the training set's negatives per positive: half way, on a log scale, between
    /// no correction and full balance.
    /// </summary>
    public double? ScalePosWeight { get; init; }

    /// <summary>The most boosting iterations.</summary>
    public int MaxRounds { get; init; } = 1000;

    /// <summary>Training stops after this many iterations without a better validation score; 0 never stops early.</summary>
    public int EarlyStoppingRounds { get; init; } = 50;

    /// <summary>The seed of every random draw LightGBM makes (bagging, feature fraction, binning samples).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>LightGBM's threads (<c>num_threads</c>). Part of the model text, so part of what makes it reproducible.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>
    /// The LightGBM parameter string: the binary objective, these settings, every seed, deterministic row-wise
    /// histograms and no logging. <see cref="ScalePosWeight"/> is written only when set.
    /// </summary>
    public string ToLightGbmString()
    {
        var invariant = CultureInfo.InvariantCulture;
        var text = string.Create(
            invariant,
            $"objective=binary metric=none num_leaves={NumLeaves} max_depth={MaxDepth} learning_rate={LearningRate} " +
            $"min_data_in_leaf={MinDataInLeaf} feature_fraction={FeatureFraction} bagging_fraction={BaggingFraction} " +
            $"bagging_freq={BaggingFrequency} lambda_l1={LambdaL1} lambda_l2={LambdaL2} " +
            $"seed={Seed} bagging_seed={Seed} feature_fraction_seed={Seed} data_random_seed={Seed} " +
            $"deterministic=true force_row_wise=true num_threads={Threads} verbosity=-1");
        return ScalePosWeight is { } weight ? string.Create(invariant, $"{text} scale_pos_weight={weight}") : text;
    }
}
