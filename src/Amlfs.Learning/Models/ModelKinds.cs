namespace Amlfs.Learning.Models;

/// <summary>The kinds of risk model, as <c>/predict</c> and <c>amlfs models</c> name them.</summary>
public static class ModelKinds
{
    /// <summary>The seed's hand-written rules, the fallback when no learned model is active.</summary>
    public const string Rules = "rules";

    /// <summary>Gradient-boosted trees trained with LightGBM.</summary>
    public const string GradientBoostedTrees = "gbt";
}
