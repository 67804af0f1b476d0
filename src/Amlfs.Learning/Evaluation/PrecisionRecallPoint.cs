namespace Amlfs.Learning.Evaluation;

/// <summary>One point of a precision-recall curve: the rates when every score at or above <paramref name="Threshold"/> is flagged.</summary>
/// <param name="Threshold">The threshold; <see cref="double.PositiveInfinity"/> for the curve's start (recall 0, precision 1).</param>
/// <param name="Recall">TP / positives.</param>
/// <param name="Precision">TP / (TP + FP).</param>
public readonly record struct PrecisionRecallPoint(double Threshold, double Recall, double Precision);
