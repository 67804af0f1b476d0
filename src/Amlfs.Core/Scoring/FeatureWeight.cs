namespace Amlfs.Scoring;

/// <summary>
/// One feature's share of a rules model's weighted score: <c>Weight * min(value / Normalizer, 1)</c>, with negative
/// values counted as 0. The normalizer is the value at which the feature contributes its full weight.
/// </summary>
public readonly record struct FeatureWeight(string Feature, double Weight, double Normalizer);
