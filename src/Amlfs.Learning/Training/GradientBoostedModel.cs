namespace Amlfs.Learning.Training;

/// <summary>
/// A trained classifier: LightGBM model text cut at the best iteration, and how validation went on the way there.
/// </summary>
public sealed class GradientBoostedModel
{
    public GradientBoostedModel(
        string modelText, int bestIteration, double bestValidationScore, IReadOnlyList<double> validationCurve, GradientBoostedParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(modelText);
        ArgumentNullException.ThrowIfNull(validationCurve);
        ArgumentNullException.ThrowIfNull(parameters);
        ModelText = modelText;
        BestIteration = bestIteration;
        BestValidationScore = bestValidationScore;
        ValidationCurve = validationCurve;
        Parameters = parameters;
    }

    /// <summary>LightGBM model text with the trees of the first <see cref="BestIteration"/> iterations.</summary>
    public string ModelText { get; }

    /// <summary>The number of iterations kept: the one, counted from 1, with the best validation score.</summary>
    public int BestIteration { get; }

    public double BestValidationScore { get; }

    /// <summary>The validation score after each iteration trained: element <c>i</c> is after iteration <c>i + 1</c>.</summary>
    public IReadOnlyList<double> ValidationCurve { get; }

    /// <summary>The parameters trained with, <see cref="GradientBoostedParameters.ScalePosWeight"/> resolved.</summary>
    public GradientBoostedParameters Parameters { get; }
}
