namespace Amlfs.Learning;

/// <summary>
/// Learned risk models: gradient-boosted trees trained with LightGBM's native library, read back from LightGBM's own
/// model text and explained exactly with TreeSHAP in C#, probability calibration, evaluation metrics and an
/// unsupervised anomaly model.
/// </summary>
internal static class LearningAssembly
{
}
