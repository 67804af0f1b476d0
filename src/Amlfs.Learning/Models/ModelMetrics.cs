using Amlfs.Learning.Evaluation;

namespace Amlfs.Learning.Models;

/// <summary>A model's figures on one period's rows (calibrated scores; NaN where the period has no positive).</summary>
public sealed record ModelMetrics(
    long Rows, long Positives, double RocAuc, double PrAuc, double RecallAt1PctFpr, double PrecisionAtHigh, double RecallAtHigh,
    double F1AtHigh, double AlertRate, double? AnomalyPrAuc)
{
    /// <summary>The false-positive rate at which <see cref="RecallAt1PctFpr"/> is measured.</summary>
    public const double FalsePositiveRate = 0.01;

    /// <summary>Measures <paramref name="scores"/> against <paramref name="labels"/> with HIGH from <paramref name="high"/>.</summary>
    public static ModelMetrics Measure(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels, double high, ReadOnlySpan<double> anomalyScores)
    {
        var positives = 0L;
        foreach (var label in labels)
            positives += label ? 1 : 0;
        var both = positives > 0 && positives < labels.Length;
        var atHigh = BinaryMetrics.ConfusionMatrixAt(scores, labels, high);
        return new ModelMetrics(
            labels.Length, positives,
            both ? BinaryMetrics.RocAuc(scores, labels) : double.NaN,
            both ? BinaryMetrics.AveragePrecision(scores, labels) : double.NaN,
            both ? BinaryMetrics.RecallAtFalsePositiveRate(scores, labels, FalsePositiveRate) : double.NaN,
            atHigh.Precision, atHigh.Recall, atHigh.F1, atHigh.AlertRate,
            anomalyScores.IsEmpty || !both ? null : BinaryMetrics.AveragePrecision(anomalyScores, labels));
    }
}
