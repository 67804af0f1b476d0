using Amlfs.Learning.Models;

namespace Amlfs.Learning.Tests.Models;

public sealed class ModelMetricsTests
{
    [Fact]
    public void The_figures_of_a_small_fixture_are_those_computed_by_hand()
    {
        // Ten rows by descending score; P = positive, N = negative:
        //   0.95 P, 0.90 P, 0.80 N, 0.70 P, 0.60 N, 0.50 N, 0.40 P, 0.30 N, 0.20 N, 0.10 N   (4 positives, 6 negatives)
        // ROC-AUC: pairs (P above N) / 24. P0.95 and P0.90 beat all 6 N, P0.70 beats 5 (not 0.80), P0.40 beats 3:
        //   (6 + 6 + 5 + 3) / 24 = 20/24.
        // Average precision: precision at each positive, in order: 1/1, 2/2, 3/4, 4/7, mean over the 4 positives:
        //   (1 + 1 + 0.75 + 4/7) / 4.
        // Recall at 1% FPR: not one negative may be above the threshold (6 negatives: 1/6 > 1%): the two top positives,
        //   2/4.
        // HIGH from 0.7: alerts 0.95, 0.90, 0.80, 0.70: TP 3, FP 1; precision 3/4, recall 3/4, F1 3/4, alert rate 4/10.
        double[] scores = [0.95, 0.90, 0.80, 0.70, 0.60, 0.50, 0.40, 0.30, 0.20, 0.10];
        bool[] labels = [true, true, false, true, false, false, true, false, false, false];
        double[] anomaly = [0.1, 0.9, 0.2, 0.8, 0.3, 0.4, 0.7, 0.5, 0.6, 0.0];

        var metrics = ModelMetrics.Measure(scores, labels, 0.7, anomaly);

        Assert.Equal(10, metrics.Rows);
        Assert.Equal(4, metrics.Positives);
        Assert.Equal(20.0 / 24, metrics.RocAuc, 12);
        Assert.Equal((1 + 1 + 0.75 + (4.0 / 7)) / 4, metrics.PrAuc, 12);
        Assert.Equal(0.5, metrics.RecallAt1PctFpr, 12);
        Assert.Equal(0.75, metrics.PrecisionAtHigh, 12);
        Assert.Equal(0.75, metrics.RecallAtHigh, 12);
        Assert.Equal(0.75, metrics.F1AtHigh, 12);
        Assert.Equal(0.4, metrics.AlertRate, 12);
        // Anomaly ranking 0.9 P, 0.8 P, 0.7 P, 0.6 N, 0.5 N, 0.4 N, 0.3 N, 0.2 N, 0.1 P: (1 + 1 + 1 + 4/9) / 4.
        Assert.Equal((3 + (4.0 / 9)) / 4, metrics.AnomalyPrAuc!.Value, 12);
    }
}
