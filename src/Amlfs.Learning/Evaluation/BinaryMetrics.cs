namespace Amlfs.Learning.Evaluation;

/// <summary>
/// Exact metrics of a binary scorer over parallel spans of scores and labels (<c>true</c> = positive). A row is flagged
/// when its score is at or above the threshold. Tied scores are one threshold step: rows with equal scores are always
/// flagged together, so no metric depends on the order of tied rows.
/// </summary>
/// <remarks>
/// Every method throws <see cref="ArgumentException"/> when the spans differ in length or a score is NaN. A metric that
/// is undefined for the input (no positives, no negatives, no rows) is <see cref="double.NaN"/>, as each method says;
/// the curves, which cannot be drawn then, throw instead.
/// </remarks>
public static class BinaryMetrics
{
    /// <summary>
    /// The area under the ROC curve, computed as the Mann-Whitney statistic: the fraction of (positive, negative) pairs
    /// in which the positive scores higher, a tied pair counting one half. Equal to the trapezoidal area under
    /// <see cref="RocCurve"/>. NaN when there are no positives or no negatives.
    /// </summary>
    public static double RocAuc(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        var steps = ThresholdSteps.Build(scores, labels);
        if (steps.Positives == 0 || steps.Negatives == 0)
            return double.NaN;
        // The negatives of tie group k are outscored by every positive of the groups above it (tpBefore) and tied
        // with the group's own positives, each tie counting one half.
        // Twice the pair count stays an exact integer: at most 2 * 2^30 * 2^30 for spans of int length.
        long twicePairs = 0, tpBefore = 0;
        for (var k = 0; k < steps.Count; k++)
        {
            var tpGroup = steps.TruePositives[k] - tpBefore;
            var fpGroup = steps.FalsePositives[k] - (k == 0 ? 0 : steps.FalsePositives[k - 1]);
            twicePairs += fpGroup * ((2 * tpBefore) + tpGroup);
            tpBefore = steps.TruePositives[k];
        }

        return twicePairs / (2.0 * steps.Positives * steps.Negatives);
    }

    /// <summary>
    /// The area under the precision-recall curve as average precision (scikit-learn's definition, no interpolation):
    /// the sum over thresholds, one per distinct score, of (R_k - R_(k-1)) * P_k, with R_(-1) = 0. Only thresholds at
    /// which recall rises contribute. NaN when there are no positives; 1 when there are no negatives.
    /// </summary>
    public static double AveragePrecision(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        var steps = ThresholdSteps.Build(scores, labels);
        if (steps.Positives == 0)
            return double.NaN;
        double sum = 0;
        long tpBefore = 0;
        for (var k = 0; k < steps.Count; k++)
        {
            var tp = steps.TruePositives[k];
            if (tp != tpBefore)
                sum += (double)(tp - tpBefore) / steps.Positives * ((double)tp / (tp + steps.FalsePositives[k]));
            tpBefore = tp;
        }

        return sum;
    }

    /// <summary>
    /// The highest recall reached at a threshold whose false-positive rate is at most
    /// <paramref name="maxFalsePositiveRate"/>: the recall at the lowest such threshold, thresholds being the distinct
    /// scores (no interpolation between them). When even the top tie group exceeds the rate, nothing can be flagged and
    /// the recall is 0. NaN when there are no positives or no negatives.
    /// </summary>
    /// <param name="scores">The scores.</param>
    /// <param name="labels">The labels.</param>
    /// <param name="maxFalsePositiveRate">In [0, 1], e.g. 0.01.</param>
    public static double RecallAtFalsePositiveRate(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels, double maxFalsePositiveRate)
    {
        if (!(maxFalsePositiveRate is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(maxFalsePositiveRate), maxFalsePositiveRate, "A false-positive rate is in [0, 1].");
        var steps = ThresholdSteps.Build(scores, labels);
        if (steps.Positives == 0 || steps.Negatives == 0)
            return double.NaN;
        long caught = 0;
        // FP counts never fall as the threshold is lowered: the last step within the rate is the best one.
        for (var k = 0; k < steps.Count && (double)steps.FalsePositives[k] / steps.Negatives <= maxFalsePositiveRate; k++)
            caught = steps.TruePositives[k];
        return (double)caught / steps.Positives;
    }

    /// <summary>
    /// The confusion matrix when every score at or above <paramref name="threshold"/> is flagged; its precision, recall,
    /// F1 and alert rate follow from it (NaN where their denominator is zero). An empty input gives all-zero counts.
    /// </summary>
    public static ConfusionMatrix ConfusionMatrixAt(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels, double threshold)
    {
        Validate(scores, labels);
        if (double.IsNaN(threshold))
            throw new ArgumentException("The threshold is NaN.", nameof(threshold));
        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var flagged = scores[i] >= threshold;
            if (labels[i])
            {
                if (flagged)
                    tp++;
                else
                    fn++;
            }
            else if (flagged)
            {
                fp++;
            }
            else
            {
                tn++;
            }
        }

        return new ConfusionMatrix(tp, fp, tn, fn);
    }

    /// <summary>
    /// The ROC curve: the origin (threshold +infinity, nothing flagged), then one point per distinct score from the
    /// highest to the lowest, ending at (1, 1). A tie group moves the curve by one diagonal step.
    /// </summary>
    /// <exception cref="ArgumentException">There are no positives or no negatives.</exception>
    public static RocPoint[] RocCurve(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        var steps = ThresholdSteps.Build(scores, labels);
        if (steps.Positives == 0 || steps.Negatives == 0)
            throw new ArgumentException("A ROC curve needs at least one positive and one negative label.", nameof(labels));
        var points = new RocPoint[steps.Count + 1];
        points[0] = new RocPoint(double.PositiveInfinity, 0, 0);
        for (var k = 0; k < steps.Count; k++)
        {
            points[k + 1] = new RocPoint(
                steps.Thresholds[k],
                (double)steps.FalsePositives[k] / steps.Negatives,
                (double)steps.TruePositives[k] / steps.Positives);
        }

        return points;
    }

    /// <summary>
    /// The precision-recall curve: a start at recall 0 and precision 1 (threshold +infinity, as scikit-learn draws it),
    /// then one point per distinct score from the highest to the lowest. <see cref="AveragePrecision"/> is the
    /// step-wise area under these points.
    /// </summary>
    /// <exception cref="ArgumentException">There are no positives.</exception>
    public static PrecisionRecallPoint[] PrecisionRecallCurve(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        var steps = ThresholdSteps.Build(scores, labels);
        if (steps.Positives == 0)
            throw new ArgumentException("A precision-recall curve needs at least one positive label.", nameof(labels));
        var points = new PrecisionRecallPoint[steps.Count + 1];
        points[0] = new PrecisionRecallPoint(double.PositiveInfinity, 0, 1);
        for (var k = 0; k < steps.Count; k++)
        {
            var tp = steps.TruePositives[k];
            points[k + 1] = new PrecisionRecallPoint(
                steps.Thresholds[k],
                (double)tp / steps.Positives,
                (double)tp / (tp + steps.FalsePositives[k]));
        }

        return points;
    }

    /// <summary>
    /// The threshold for an alert budget: the smallest of the distinct scores <c>t</c> such that the fraction of scores
    /// at or above <c>t</c> is at most <paramref name="rate"/>. Ties: a tie group is flagged whole or not at all, so when
    /// the group at the boundary would take the fraction over the budget the threshold stays above it and the realised
    /// alert rate is below <paramref name="rate"/> (never above). When even the highest score's tie group alone exceeds
    /// the budget (or the rate is 0), the result is <see cref="double.PositiveInfinity"/>, which flags no finite score.
    /// A rate of 1 gives the lowest score.
    /// </summary>
    /// <param name="scores">The scores, at least one, none NaN.</param>
    /// <param name="rate">The alert budget as a fraction of rows, in [0, 1].</param>
    public static double ThresholdForAlertRate(ReadOnlySpan<double> scores, double rate)
    {
        if (!(rate is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "An alert rate is in [0, 1].");
        if (scores.IsEmpty)
            throw new ArgumentException("An alert rate needs at least one score.", nameof(scores));
        var sorted = scores.ToArray();
        Array.Sort(sorted);
        if (double.IsNaN(sorted[0]))
            throw new ArgumentException("A score is NaN.", nameof(scores));
        var threshold = double.PositiveInfinity;
        // Walk from the highest score down; a threshold is a candidate at the last member of its tie group.
        for (var i = sorted.Length - 1; i >= 0; i--)
        {
            if (i > 0 && sorted[i - 1] == sorted[i])
                continue;
            if ((double)(sorted.Length - i) / sorted.Length > rate)
                break;
            threshold = sorted[i];
        }

        return threshold;
    }

    /// <summary>
    /// A reliability diagram over <paramref name="bins"/> equal-width bins of [0, 1]: bin <c>i</c> holds the
    /// probabilities in [i / bins, (i + 1) / bins), the last bin also 1. Each non-empty bin gives the mean predicted
    /// probability, the observed positive rate and the count; empty bins are left out, so an empty input gives an empty
    /// curve.
    /// </summary>
    /// <param name="probabilities">Predicted probabilities in [0, 1].</param>
    /// <param name="labels">The labels.</param>
    /// <param name="bins">How many bins, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A probability is outside [0, 1].</exception>
    public static CalibrationBin[] CalibrationCurve(ReadOnlySpan<double> probabilities, ReadOnlySpan<bool> labels, int bins = 10)
    {
        Validate(probabilities, labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var sums = new double[bins];
        var counts = new long[bins];
        var positives = new long[bins];
        for (var i = 0; i < probabilities.Length; i++)
        {
            var p = probabilities[i];
            if (!(p is >= 0 and <= 1))
                throw new ArgumentOutOfRangeException(nameof(probabilities), p, "A probability is in [0, 1].");
            var bin = BinOf(p, bins);
            sums[bin] += p;
            counts[bin]++;
            if (labels[i])
                positives[bin]++;
        }

        var curve = new List<CalibrationBin>(bins);
        for (var b = 0; b < bins; b++)
        {
            if (counts[b] > 0)
                curve.Add(new CalibrationBin((double)b / bins, (double)(b + 1) / bins, sums[b] / counts[b], (double)positives[b] / counts[b], counts[b]));
        }

        return [.. curve];
    }

    /// <summary>Throws unless the spans have one label per score and no score is NaN.</summary>
    internal static void Validate(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        if (scores.Length != labels.Length)
            throw new ArgumentException($"{scores.Length} scores but {labels.Length} labels.", nameof(labels));
        foreach (var score in scores)
        {
            if (double.IsNaN(score))
                throw new ArgumentException("A score is NaN.", nameof(scores));
        }
    }

    /// <summary>The bin whose edges, computed as <c>b / bins</c>, hold <paramref name="p"/>, whatever the rounding of p * bins.</summary>
    private static int BinOf(double p, int bins)
    {
        var bin = Math.Min((int)(p * bins), bins - 1);
        if (bin > 0 && p < (double)bin / bins)
            bin--;
        else if (bin < bins - 1 && p >= (double)(bin + 1) / bins)
            bin++;
        return bin;
    }
}
