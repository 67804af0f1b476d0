namespace Amlfs.Learning.Training;

/// <summary>
/// Rows of features with a binary label each: a dense row-major matrix (NaN is a missing value), optional row
/// weights and optional feature names, which end up in the model text.
/// </summary>
public sealed class LabeledMatrix
{
    public LabeledMatrix(
        ReadOnlyMemory<double> features, int columns, ReadOnlyMemory<bool> labels, ReadOnlyMemory<float> weights = default, IReadOnlyList<string>? featureNames = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if (labels.Length == 0 || features.Length != labels.Length * columns)
        {
            throw new ArgumentException($"{labels.Length} labeled rows of {columns} columns need {labels.Length * columns} values, not {features.Length}.", nameof(features));
        }

        if (!weights.IsEmpty && weights.Length != labels.Length)
        {
            throw new ArgumentException($"{weights.Length} weights for {labels.Length} rows.", nameof(weights));
        }

        if (featureNames is not null && featureNames.Count != columns)
        {
            throw new ArgumentException($"{featureNames.Count} feature names for {columns} columns.", nameof(featureNames));
        }

        Features = features;
        Columns = columns;
        Labels = labels;
        Weights = weights;
        FeatureNames = featureNames;
    }

    /// <summary>The rows one after another, <see cref="Columns"/> values each.</summary>
    public ReadOnlyMemory<double> Features { get; }

    public int Columns { get; }

    public int Rows => Labels.Length;

    public ReadOnlyMemory<bool> Labels { get; }

    /// <summary>One weight per row, or empty when every row weighs 1.</summary>
    public ReadOnlyMemory<float> Weights { get; }

    public IReadOnlyList<string>? FeatureNames { get; }
}
