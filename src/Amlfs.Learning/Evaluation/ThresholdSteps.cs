namespace Amlfs.Learning.Evaluation;

/// <summary>
/// Scores and labels sorted once by descending score and grouped by distinct score: step <c>k</c> is the threshold
/// <c>Thresholds[k]</c> (the k-th highest distinct score) and the counts of positives and negatives scoring at or above
/// it. Tied scores are one step, so every metric built on the steps treats a tie group as a single threshold.
/// </summary>
internal sealed class ThresholdSteps
{
    private ThresholdSteps(double[] thresholds, long[] truePositives, long[] falsePositives, long positives, long negatives)
    {
        Thresholds = thresholds;
        TruePositives = truePositives;
        FalsePositives = falsePositives;
        Positives = positives;
        Negatives = negatives;
    }

    /// <summary>The distinct scores, highest first.</summary>
    public double[] Thresholds { get; }

    /// <summary>Positives scoring at or above <see cref="Thresholds"/>[k] (non-decreasing in k).</summary>
    public long[] TruePositives { get; }

    /// <summary>Negatives scoring at or above <see cref="Thresholds"/>[k] (non-decreasing in k).</summary>
    public long[] FalsePositives { get; }

    public long Positives { get; }

    public long Negatives { get; }

    public int Count => Thresholds.Length;

    /// <summary>Sorts and groups; throws when the lengths differ or a score is NaN.</summary>
    public static ThresholdSteps Build(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        BinaryMetrics.Validate(scores, labels);
        var keys = scores.ToArray();
        var positive = labels.ToArray();
        Array.Sort(keys, positive);
        var thresholds = new List<double>();
        var truePositives = new List<long>();
        var falsePositives = new List<long>();
        long tp = 0, fp = 0;
        for (var i = keys.Length - 1; i >= 0; i--)
        {
            if (positive[i])
                tp++;
            else
                fp++;
            // The step closes at the last member of its tie group (the next lower score differs).
            if (i == 0 || keys[i - 1] != keys[i])
            {
                thresholds.Add(keys[i]);
                truePositives.Add(tp);
                falsePositives.Add(fp);
            }
        }

        return new ThresholdSteps([.. thresholds], [.. truePositives], [.. falsePositives], tp, fp);
    }
}
