using Amlfs.Learning.LightGbm;

namespace Amlfs.Learning.Training;

/// <summary>
/// Trains a LightGBM binary classifier one iteration at a time, scoring the validation set after each with the
/// caller's metric (higher is better, such as average precision), and stops when that score has not improved for
/// <see cref="GradientBoostedParameters.EarlyStoppingRounds"/> iterations. The model keeps the trees up to the best
/// iteration.
/// </summary>
/// <param name="validationMetric">Scores the validation set from its predicted probabilities and its labels.</param>
public sealed class GradientBoostedTrainer(Func<ReadOnlySpan<double>, ReadOnlySpan<bool>, double> validationMetric)
{
    private readonly Func<ReadOnlySpan<double>, ReadOnlySpan<bool>, double> _validationMetric =
        validationMetric ?? throw new ArgumentNullException(nameof(validationMetric));

    /// <summary>The square root of the negatives per positive: the default <see cref="GradientBoostedParameters.ScalePosWeight"/>.</summary>
    public static double DefaultScalePosWeight(ReadOnlySpan<bool> labels)
    {
        var positives = 0;
        foreach (var label in labels)
        {
            positives += label ? 1 : 0;
        }

        if (positives == 0 || positives == labels.Length)
        {
            throw new ArgumentException($"The training labels need both classes; {positives} of {labels.Length} are positive.", nameof(labels));
        }

        return Math.Sqrt((double)(labels.Length - positives) / positives);
    }

    public GradientBoostedModel Train(LabeledMatrix train, LabeledMatrix validation, GradientBoostedParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parameters.MaxRounds);
        ArgumentOutOfRangeException.ThrowIfNegative(parameters.EarlyStoppingRounds);
        if (validation.Columns != train.Columns)
        {
            throw new ArgumentException($"The validation set has {validation.Columns} columns, the training set {train.Columns}.", nameof(validation));
        }

        var resolved = parameters.ScalePosWeight is null
            ? parameters with { ScalePosWeight = DefaultScalePosWeight(train.Labels.Span) }
            : parameters;
        var lightGbmParameters = resolved.ToLightGbmString();
        using var trainSet = CreateDataset(train, lightGbmParameters, reference: null);
        using var validationSet = CreateDataset(validation, lightGbmParameters, trainSet);
        using var booster = LightGbmBooster.Create(trainSet, lightGbmParameters);
        var validationIndex = booster.AddValidation(validationSet);

        var predictions = new double[validation.Rows];
        var curve = new List<double>();
        var bestIteration = 0;
        var bestScore = double.NaN;
        for (var iteration = 1; iteration <= resolved.MaxRounds; iteration++)
        {
            // A finished booster could split no tree: it added nothing this iteration, except a constant first tree.
            if (booster.UpdateOneIteration() && curve.Count > 0)
            {
                break;
            }

            booster.GetPredictions(validationIndex, predictions);
            var score = _validationMetric(predictions, validation.Labels.Span);
            curve.Add(score);
            if (bestIteration == 0 || score > bestScore)
            {
                bestIteration = iteration;
                bestScore = score;
            }
            else if (resolved.EarlyStoppingRounds > 0 && iteration - bestIteration >= resolved.EarlyStoppingRounds)
            {
                break;
            }
        }

        return new GradientBoostedModel(booster.SaveModelToString(bestIteration), bestIteration, bestScore, curve, resolved);
    }

    private static LightGbmDataset CreateDataset(LabeledMatrix matrix, string parameters, LightGbmDataset? reference)
    {
        var dataset = LightGbmDataset.FromMatrix(matrix.Features.Span, matrix.Columns, parameters, reference);
        try
        {
            var labels = new float[matrix.Rows];
            var source = matrix.Labels.Span;
            for (var row = 0; row < labels.Length; row++)
            {
                labels[row] = source[row] ? 1f : 0f;
            }

            dataset.SetLabels(labels);
            if (!matrix.Weights.IsEmpty)
            {
                dataset.SetWeights(matrix.Weights.Span);
            }

            if (matrix.FeatureNames is not null)
            {
                dataset.SetFeatureNames(matrix.FeatureNames);
            }

            return dataset;
        }
        catch
        {
            dataset.Dispose();
            throw;
        }
    }
}
