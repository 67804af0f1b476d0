namespace Amlfs.Learning.Trees;

/// <summary>One way for <see cref="TreeShapExplainer"/> to compute the SHAP values of a row; each gives the same values.</summary>
internal interface IShapAlgorithm
{
    /// <summary>
    /// Writes the SHAP value of every feature into <paramref name="contributions"/>, exactly one per feature, and
    /// returns the row's raw score. The row is at least as long as the features.
    /// </summary>
    double Explain(ReadOnlySpan<double> features, Span<double> contributions);
}
