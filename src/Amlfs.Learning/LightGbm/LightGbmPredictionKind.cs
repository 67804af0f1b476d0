namespace Amlfs.Learning.LightGbm;

/// <summary>What a LightGBM prediction returns (<c>C_API_PREDICT_*</c>).</summary>
public enum LightGbmPredictionKind
{
    /// <summary>The objective's output: a probability for <c>binary</c>.</summary>
    Normal = 0,

    /// <summary>The raw margin, the sum of the trees' leaf values.</summary>
    RawScore = 1,

    /// <summary>The leaf index reached in every tree.</summary>
    LeafIndex = 2,

    /// <summary>One SHAP value per feature followed by the expected value: <c>columns + 1</c> values per row.</summary>
    Contributions = 3,
}
