namespace Amlfs.Learning.Evaluation;

/// <summary>One point of a ROC curve: the rates when every score at or above <paramref name="Threshold"/> is flagged.</summary>
/// <param name="Threshold">The threshold; <see cref="double.PositiveInfinity"/> for the curve's origin (nothing flagged).</param>
/// <param name="FalsePositiveRate">FP / negatives.</param>
/// <param name="TruePositiveRate">TP / positives, the recall.</param>
public readonly record struct RocPoint(double Threshold, double FalsePositiveRate, double TruePositiveRate);
