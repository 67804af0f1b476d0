namespace Amlfs.Learning.Evaluation;

/// <summary>
/// The four counts of a binary decision at one threshold (a score at or above the threshold is an alert) and the rates
/// derived from them. A rate whose denominator is zero is <see cref="double.NaN"/>, never a made-up 0 or 1.
/// </summary>
/// <param name="TruePositives">Positives flagged.</param>
/// <param name="FalsePositives">Negatives flagged.</param>
/// <param name="TrueNegatives">Negatives not flagged.</param>
/// <param name="FalseNegatives">Positives not flagged.</param>
public readonly record struct ConfusionMatrix(long TruePositives, long FalsePositives, long TrueNegatives, long FalseNegatives)
{
    /// <summary>All rows.</summary>
    public long Total => TruePositives + FalsePositives + TrueNegatives + FalseNegatives;

    /// <summary>Rows labelled positive.</summary>
    public long Positives => TruePositives + FalseNegatives;

    /// <summary>Rows labelled negative.</summary>
    public long Negatives => FalsePositives + TrueNegatives;

    /// <summary>Rows flagged.</summary>
    public long Alerts => TruePositives + FalsePositives;

    /// <summary>TP / (TP + FP); NaN when nothing is flagged.</summary>
    public double Precision => Ratio(TruePositives, Alerts);

    /// <summary>TP / (TP + FN), the true-positive rate; NaN when there are no positives.</summary>
    public double Recall => Ratio(TruePositives, Positives);

    /// <summary>FP / (FP + TN); NaN when there are no negatives.</summary>
    public double FalsePositiveRate => Ratio(FalsePositives, Negatives);

    /// <summary>
    /// 2TP / (2TP + FP + FN), the harmonic mean of precision and recall written so that it is 0 (not NaN) when
    /// something is flagged or missed but nothing is caught; NaN only with no positives and no alerts.
    /// </summary>
    public double F1 => Ratio(2 * TruePositives, (2 * TruePositives) + FalsePositives + FalseNegatives);

    /// <summary>(TP + FP) / total, the fraction of rows flagged; NaN for no rows.</summary>
    public double AlertRate => Ratio(Alerts, Total);

    private static double Ratio(long numerator, long denominator) =>
        denominator == 0 ? double.NaN : (double)numerator / denominator;
}
