using Amlfs.Learning.Evaluation;
using CsCheck;

namespace Amlfs.Learning.Tests.Evaluation;

/// <summary>
/// The fixture, 8 rows with two tie groups (P = 3 positives, N = 5 negatives), by descending score:
/// <code>
///   score  labels in the group   cumulative TP  FP   recall  precision
///   0.9    +                     1              0    1/3     1
///   0.8    +  -                  2              1    2/3     2/3
///   0.7    -                     2              2    2/3     1/2
///   0.5    +  -                  3              3    1       1/2
///   0.3    -                     3              4    1       3/7
///   0.1    -                     3              5    1       3/8
/// </code>
/// </summary>
public sealed class BinaryMetricsTests
{
    private static readonly double[] Scores = [0.9, 0.8, 0.8, 0.7, 0.5, 0.5, 0.3, 0.1];
    private static readonly bool[] Labels = [true, true, false, false, true, false, false, false];

    /// <summary>Up to 40 rows with scores on a coarse grid, so that ties are common.</summary>
    private static readonly Gen<(int Score, bool Label)[]> GenScored = Gen.Select(Gen.Int[0, 6], Gen.Bool).Array[0, 40];

    [Fact]
    public void Roc_auc_counts_each_tied_pair_as_one_half()
    {
        // Pairs won by each positive over the 5 negatives {0.8, 0.7, 0.5, 0.3, 0.1}:
        // 0.9 beats all 5 = 5; 0.8 ties 0.8 and beats 4 = 4.5; 0.5 loses 2, ties 0.5, beats 2 = 2.5.
        // AUC = (5 + 4.5 + 2.5) / (3 * 5) = 12 / 15 = 0.8.
        Assert.Equal(0.8, BinaryMetrics.RocAuc(Scores, Labels), 15);
    }

    [Fact]
    public void Average_precision_sums_recall_steps_times_precision_per_tie_group()
    {
        // Recall rises at 0.9, 0.8 and 0.5, by 1/3 each: 1/3 * 1 + 1/3 * 2/3 + 1/3 * 1/2 = 6/18 + 4/18 + 3/18 = 13/18.
        Assert.Equal(13.0 / 18, BinaryMetrics.AveragePrecision(Scores, Labels), 15);
    }

    [Theory]
    [InlineData(0.01, 1.0 / 3)] // only FP = 0 fits (threshold 0.9)
    [InlineData(0.2, 2.0 / 3)] // FP <= 1 (threshold 0.8)
    [InlineData(0.4, 2.0 / 3)] // FP <= 2 (threshold 0.7, no more positives than 0.8)
    [InlineData(0.6, 1.0)] // FP <= 3 (threshold 0.5)
    [InlineData(1.0, 1.0)]
    public void Recall_at_a_false_positive_rate_is_taken_at_the_lowest_threshold_within_it(double rate, double recall)
    {
        Assert.Equal(recall, BinaryMetrics.RecallAtFalsePositiveRate(Scores, Labels, rate), 15);
    }

    [Fact]
    public void Recall_at_a_false_positive_rate_is_zero_when_the_top_tie_group_already_exceeds_it()
    {
        // The top group holds a positive and a negative: its FPR is 1/2, so nothing can be flagged within 1%.
        Assert.Equal(0, BinaryMetrics.RecallAtFalsePositiveRate([0.9, 0.9, 0.1], [true, false, false], 0.01));
    }

    [Fact]
    public void A_confusion_matrix_flags_scores_at_or_above_the_threshold()
    {
        // Threshold 0.5 flags the 6 scores >= 0.5: TP 3, FP 3, TN 2, FN 0.
        var at05 = BinaryMetrics.ConfusionMatrixAt(Scores, Labels, 0.5);
        Assert.Equal(new ConfusionMatrix(3, 3, 2, 0), at05);
        Assert.Equal(0.5, at05.Precision);
        Assert.Equal(1.0, at05.Recall);
        Assert.Equal(2.0 / 3, at05.F1, 15); // 2 * 3 / (2 * 3 + 3 + 0)
        Assert.Equal(0.75, at05.AlertRate); // 6 / 8
        Assert.Equal(0.6, at05.FalsePositiveRate); // 3 / 5

        // Threshold 0.8 flags 0.9 and both 0.8s: TP 2, FP 1, TN 4, FN 1; P = R = F1 = 2/3.
        var at08 = BinaryMetrics.ConfusionMatrixAt(Scores, Labels, 0.8);
        Assert.Equal(new ConfusionMatrix(2, 1, 4, 1), at08);
        Assert.Equal(2.0 / 3, at08.Precision, 15);
        Assert.Equal(2.0 / 3, at08.Recall, 15);
        Assert.Equal(2.0 / 3, at08.F1, 15); // 2 * 2 / (4 + 1 + 1)
    }

    [Fact]
    public void Precision_is_nan_when_nothing_is_flagged_and_f1_is_zero()
    {
        var none = BinaryMetrics.ConfusionMatrixAt(Scores, Labels, 2);

        Assert.True(double.IsNaN(none.Precision));
        Assert.Equal(0, none.Recall);
        Assert.Equal(0, none.F1);
    }

    [Theory]
    [InlineData(0.0, double.PositiveInfinity)]
    [InlineData(0.1, double.PositiveInfinity)] // the top score alone is 1/8 = 0.125 > 0.1
    [InlineData(0.125, 0.9)]
    [InlineData(0.25, 0.9)] // 0.8's tie group would make 3/8 > 1/4: it stays out, realised rate 1/8
    [InlineData(0.375, 0.8)]
    [InlineData(0.5, 0.7)] // 4/8
    [InlineData(0.7, 0.7)] // 0.5's group would make 6/8 > 0.7
    [InlineData(1.0, 0.1)]
    public void The_alert_rate_threshold_keeps_a_tie_group_whole_and_within_the_budget(double rate, double threshold)
    {
        Assert.Equal(threshold, BinaryMetrics.ThresholdForAlertRate(Scores, rate));
    }

    [Fact]
    public void The_roc_curve_has_one_point_per_distinct_score_after_the_origin()
    {
        var curve = BinaryMetrics.RocCurve(Scores, Labels);

        Assert.Equal(
            [(0.0, 0.0), (0.0, 1.0 / 3), (0.2, 2.0 / 3), (0.4, 2.0 / 3), (0.6, 1.0), (0.8, 1.0), (1.0, 1.0)],
            curve.Select(p => (p.FalsePositiveRate, p.TruePositiveRate)));
        Assert.Equal([double.PositiveInfinity, 0.9, 0.8, 0.7, 0.5, 0.3, 0.1], curve.Select(p => p.Threshold));
    }

    [Fact]
    public void The_precision_recall_curve_starts_at_full_precision_and_no_recall()
    {
        var curve = BinaryMetrics.PrecisionRecallCurve(Scores, Labels);

        Assert.Equal(
            [(0.0, 1.0), (1.0 / 3, 1.0), (2.0 / 3, 2.0 / 3), (2.0 / 3, 0.5), (1.0, 0.5), (1.0, 3.0 / 7), (1.0, 3.0 / 8)],
            curve.Select(p => (p.Recall, p.Precision)));
    }

    [Fact]
    public void The_calibration_curve_reports_each_non_empty_bin()
    {
        // Bins of width 0.25: [0, 0.25) holds 0.1 (neg); [0.25, 0.5) holds 0.3 (neg); [0.5, 0.75) holds 0.7 (neg),
        // 0.5 (pos), 0.5 (neg); [0.75, 1] holds 0.9 (pos), 0.8 (pos), 0.8 (neg).
        var curve = BinaryMetrics.CalibrationCurve(Scores, Labels, bins: 4);

        Assert.Equal(4, curve.Length);
        Assert.Equal(new CalibrationBin(0, 0.25, 0.1, 0, 1), curve[0]);
        Assert.Equal(new CalibrationBin(0.25, 0.5, 0.3, 0, 1), curve[1]);
        Assert.Equal(0.5, curve[2].Lower);
        Assert.Equal(1.7 / 3, curve[2].MeanPredicted, 15);
        Assert.Equal(1.0 / 3, curve[2].ObservedRate, 15);
        Assert.Equal(3, curve[2].Count);
        Assert.Equal(2.5 / 3, curve[3].MeanPredicted, 15);
        Assert.Equal(2.0 / 3, curve[3].ObservedRate, 15);
    }

    [Fact]
    public void A_probability_of_one_falls_in_the_last_bin_and_edges_are_inclusive_below()
    {
        var curve = BinaryMetrics.CalibrationCurve([0.0, 0.3, 1.0], [false, false, true], bins: 10);

        Assert.Equal([0.0, 0.3, 0.9], curve.Select(b => b.Lower));
    }

    [Fact]
    public void Undefined_metrics_are_nan_and_curves_that_cannot_be_drawn_throw()
    {
        bool[] noPositives = [false, false];
        double[] two = [0.1, 0.2];

        Assert.True(double.IsNaN(BinaryMetrics.RocAuc(two, noPositives)));
        Assert.True(double.IsNaN(BinaryMetrics.AveragePrecision(two, noPositives)));
        Assert.True(double.IsNaN(BinaryMetrics.RecallAtFalsePositiveRate(two, noPositives, 0.01)));
        Assert.True(double.IsNaN(BinaryMetrics.RocAuc([], [])));
        Assert.True(double.IsNaN(BinaryMetrics.RocAuc(two, [true, true])));
        Assert.Equal(1, BinaryMetrics.AveragePrecision(two, [true, true]));
        Assert.Throws<ArgumentException>(() => BinaryMetrics.RocCurve(two, noPositives));
        Assert.Throws<ArgumentException>(() => BinaryMetrics.PrecisionRecallCurve(two, noPositives));
        Assert.Throws<ArgumentException>(() => BinaryMetrics.ThresholdForAlertRate([], 0.1));
        Assert.Throws<ArgumentException>(() => BinaryMetrics.RocAuc([0.1], [true, false]));
        Assert.Throws<ArgumentException>(() => BinaryMetrics.RocAuc([double.NaN, 0.1], [true, false]));
        Assert.Throws<ArgumentOutOfRangeException>(() => BinaryMetrics.CalibrationCurve([1.5], [true]));
    }

    [Fact]
    public void Roc_auc_equals_the_pairwise_count_and_the_trapezoid_under_the_curve()
    {
        GenScored.Sample(rows =>
        {
            var (scores, labels) = Split(rows);
            var positives = scores.Where((_, i) => labels[i]).ToArray();
            var negatives = scores.Where((_, i) => !labels[i]).ToArray();
            if (positives.Length == 0 || negatives.Length == 0)
                return;
            var pairs = positives.Sum(p => negatives.Sum(n => p > n ? 1.0 : p == n ? 0.5 : 0));
            var curve = BinaryMetrics.RocCurve(scores, labels);
            var trapezoid = curve.Zip(curve.Skip(1), (a, b) => (b.FalsePositiveRate - a.FalsePositiveRate) * (a.TruePositiveRate + b.TruePositiveRate) / 2).Sum();

            var auc = BinaryMetrics.RocAuc(scores, labels);

            Assert.Equal(pairs / (positives.Length * negatives.Length), auc, 12);
            Assert.Equal(trapezoid, auc, 12);
        });
    }

    [Fact]
    public void Average_precision_equals_its_definition_over_distinct_thresholds()
    {
        GenScored.Sample(rows =>
        {
            var (scores, labels) = Split(rows);
            var positives = labels.Count(l => l);
            if (positives == 0)
                return;
            double expected = 0, previousRecall = 0;
            foreach (var t in scores.Distinct().OrderDescending())
            {
                var tp = scores.Where((s, i) => s >= t && labels[i]).Count();
                var flagged = scores.Count(s => s >= t);
                var recall = (double)tp / positives;
                expected += (recall - previousRecall) * tp / flagged;
                previousRecall = recall;
            }

            Assert.Equal(expected, BinaryMetrics.AveragePrecision(scores, labels), 12);
        });
    }

    [Fact]
    public void The_alert_rate_threshold_is_the_smallest_score_within_the_budget()
    {
        Gen.Select(GenScored, Gen.Double[0, 1]).Sample((rows, rate) =>
        {
            var (scores, _) = Split(rows);
            if (scores.Length == 0)
                return;
            var within = scores.Distinct().Where(t => (double)scores.Count(s => s >= t) / scores.Length <= rate).ToArray();
            var expected = within.Length == 0 ? double.PositiveInfinity : within.Min();

            Assert.Equal(expected, BinaryMetrics.ThresholdForAlertRate(scores, rate));
        });
    }

    private static (double[] Scores, bool[] Labels) Split((int Score, bool Label)[] rows) =>
        (rows.Select(r => r.Score / 6.0).ToArray(), rows.Select(r => r.Label).ToArray());
}
