using System.Globalization;
using Amlfs.Learning.Evaluation;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace Amlfs.Cli.Evaluation;

/// <summary>The report's plots, each returned as inline markup (<see cref="PlotEmbedding"/>).</summary>
internal static class EvaluationPlots
{
    /// <summary>Consecutive curve points closer than this (in x + y, on axes of length 1) are drawn as one.</summary>
    private const double CurveResolution = 0.002;
    private const int HistogramBins = 40;
    private const int ColourBuckets = 16;

    public static string Roc(IReadOnlyList<ReportScorer> scorers, bool[] labels, double medium, double high)
    {
        using var plot = PlotEmbedding.NewPlot("ROC curves", "False-positive rate", "Recall (true-positive rate)");
        Diagonal(plot, "chance");
        foreach (var scorer in scorers)
        {
            var curve = BinaryMetrics.RocCurve(scorer.Scores, labels);
            var auc = BinaryMetrics.RocAuc(scorer.Scores, labels);
            Curve(plot, curve.Select(p => (p.FalsePositiveRate, p.TruePositiveRate)), scorer, $"{scorer.Name} (AUC {auc.ToString("0.000", CultureInfo.InvariantCulture)})");
        }

        OperatingPoints(plot, scorers, labels, medium, high, m => (m.FalsePositiveRate, m.Recall));
        plot.Axes.SetLimits(0, 1, 0, 1.02);
        plot.ShowLegend(Alignment.LowerRight);
        return PlotEmbedding.Svg(plot, 640, 480, "roc-", "ROC curves of the compared scorers");
    }

    public static string PrecisionRecall(IReadOnlyList<ReportScorer> scorers, bool[] labels, double medium, double high)
    {
        using var plot = PlotEmbedding.NewPlot("Precision-recall curves", "Recall", "Precision");
        var prevalence = (double)labels.Count(l => l) / labels.Length;
        var baseline = plot.Add.HorizontalLine(prevalence, 1, Colors.Gray, LinePattern.Dashed);
        baseline.LegendText = $"prevalence {prevalence.ToString("0.0000", CultureInfo.InvariantCulture)}";
        foreach (var scorer in scorers)
        {
            var curve = BinaryMetrics.PrecisionRecallCurve(scorer.Scores, labels);
            var ap = BinaryMetrics.AveragePrecision(scorer.Scores, labels);
            Curve(plot, curve.Select(p => (p.Recall, p.Precision)), scorer, $"{scorer.Name} (AP {ap.ToString("0.000", CultureInfo.InvariantCulture)})");
        }

        OperatingPoints(plot, scorers, labels, medium, high, m => (m.Recall, m.Precision));
        plot.Axes.SetLimits(0, 1, 0, 1.02);
        plot.ShowLegend(Alignment.UpperRight);
        return PlotEmbedding.Svg(plot, 640, 480, "pr-", "Precision-recall curves of the compared scorers");
    }

    /// <summary>The reliability diagram of calibrated probabilities over ten equal bins, with the diagonal.</summary>
    public static string Calibration(ReportScorer scorer, bool[] labels)
    {
        using var plot = PlotEmbedding.NewPlot($"Calibration of {scorer.Name}", "Mean predicted probability", "Observed positive rate");
        Diagonal(plot, "perfect calibration");
        var bins = BinaryMetrics.CalibrationCurve(scorer.Scores, labels, bins: 10);
        var line = plot.Add.Scatter(bins.Select(b => b.MeanPredicted).ToArray(), bins.Select(b => b.ObservedRate).ToArray(), Color.FromHex(scorer.Color));
        line.LineWidth = 2;
        line.MarkerSize = 7;
        line.LegendText = scorer.Name + " (10 bins)";
        plot.Axes.SetLimits(0, 1, 0, 1.02);
        plot.ShowLegend(Alignment.UpperLeft);
        return PlotEmbedding.Svg(plot, 560, 460, "cal-", "Reliability diagram");
    }

    /// <summary>The distribution of a scorer's scores for each label, each normalised to the fraction of its class.</summary>
    public static string ScoreHistogram(ReportScorer scorer, bool[] labels, double medium, double high, string idPrefix)
    {
        using var plot = PlotEmbedding.NewPlot($"{scorer.Name}: scores by label", "Score", "Fraction of the class");
        double min = scorer.Scores.Min(), max = scorer.Scores.Max();
        if (scorer.HasLevels)
            (min, max) = (0, 1);
        var width = max > min ? (max - min) / HistogramBins : 1;
        foreach (var (positive, colour, name) in new[] { (false, "#7f7f7f", "negatives"), (true, "#d62728", "positives") })
        {
            var counts = new double[HistogramBins];
            var total = 0;
            for (var i = 0; i < labels.Length; i++)
            {
                if (labels[i] != positive)
                    continue;
                counts[Math.Clamp((int)((scorer.Scores[i] - min) / width), 0, HistogramBins - 1)]++;
                total++;
            }

            var bars = plot.Add.Bars(Enumerable.Range(0, HistogramBins).Select(b => new Bar
            {
                Position = min + ((b + 0.5) * width),
                Value = counts[b] / total,
                Size = width,
                FillColor = Color.FromHex(colour).WithAlpha(0.55),
                LineWidth = 0,
            }).ToArray());
            bars.LegendText = $"{name} ({total})";
            bars.Color = Color.FromHex(colour).WithAlpha(0.55);
        }

        if (scorer.HasLevels)
        {
            plot.Add.VerticalLine(medium, 1.5f, Colors.DarkOrange, LinePattern.Dashed).LegendText = "MEDIUM";
            plot.Add.VerticalLine(high, 1.5f, Colors.DarkRed, LinePattern.Dashed).LegendText = "HIGH";
        }

        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperCenter);
        return PlotEmbedding.Svg(plot, 640, 360, idPrefix, $"Histogram of {scorer.Name} scores by label");
    }

    /// <summary>The top features by mean |SHAP| as horizontal bars, the largest on top.</summary>
    public static string Importance(ShapSummary summary)
    {
        var ranking = summary.Ranking;
        using var plot = PlotEmbedding.NewPlot("Features by mean |SHAP|", "Mean |SHAP value| (log-odds)", string.Empty);
        var bars = plot.Add.Bars(ranking.Select((f, k) => new Bar
        {
            Position = ranking.Count - 1 - k,
            Value = f.MeanAbsShap,
            Size = 0.7,
            FillColor = Color.FromHex("#1f77b4"),
            LineWidth = 0,
        }).ToArray());
        bars.Horizontal = true;
        FeatureTicks(plot, ranking);
        plot.Axes.SetLimitsX(0, 1.05 * Math.Max(ranking.Max(f => f.MeanAbsShap), double.Epsilon));
        return PlotEmbedding.Svg(plot, 760, 110 + (24 * ranking.Count), "imp-", "Features ranked by mean absolute SHAP value");
    }

    /// <summary>
    /// A beeswarm-like SHAP summary: one row of points per top feature at x = SHAP value, spread vertically by density,
    /// coloured from low (blue) to high (red) by the feature value's percentile; missing values grey. A PNG, since it
    /// holds up to 2,000 points per feature.
    /// </summary>
    public static string ShapBeeswarm(EvaluationReportData data, ShapSummary summary, int seed)
    {
        var ranking = summary.Ranking;
        using var plot = PlotEmbedding.NewPlot("SHAP summary", "SHAP value (impact on the model's log-odds)", string.Empty);
        var colormap = new ScottPlot.Colormaps.Turbo();
        var xs = Enumerable.Range(0, ColourBuckets + 1).Select(_ => new List<double>()).ToArray();
        var ys = Enumerable.Range(0, ColourBuckets + 1).Select(_ => new List<double>()).ToArray();
        for (var k = 0; k < ranking.Count; k++)
        {
            var (x, offset, percentile) = summary.Points(data, ranking[k].Index, seed + k);
            for (var i = 0; i < x.Length; i++)
            {
                // The last bucket holds the missing values.
                var bucket = double.IsNaN(percentile[i]) ? ColourBuckets : Math.Min((int)(percentile[i] * ColourBuckets), ColourBuckets - 1);
                xs[bucket].Add(x[i]);
                ys[bucket].Add(ranking.Count - 1 - k + offset[i]);
            }
        }

        plot.Add.VerticalLine(0, 1, Colors.Gray);
        for (var b = 0; b <= ColourBuckets; b++)
        {
            if (xs[b].Count == 0)
                continue;
            var colour = b == ColourBuckets ? Colors.LightGray : colormap.GetColor((b + 0.5) / ColourBuckets);
            plot.Add.Markers(xs[b].ToArray(), ys[b].ToArray(), MarkerShape.FilledCircle, 3, colour.WithAlpha(0.8));
        }

        plot.ShowLegend(
        [
            new LegendItem { LabelText = "low feature value", MarkerShape = MarkerShape.FilledCircle, MarkerSize = 8, MarkerFillColor = colormap.GetColor(0.03), MarkerLineColor = colormap.GetColor(0.03) },
            new LegendItem { LabelText = "high feature value", MarkerShape = MarkerShape.FilledCircle, MarkerSize = 8, MarkerFillColor = colormap.GetColor(0.97), MarkerLineColor = colormap.GetColor(0.97) },
            new LegendItem { LabelText = "missing", MarkerShape = MarkerShape.FilledCircle, MarkerSize = 8, MarkerFillColor = Colors.LightGray, MarkerLineColor = Colors.LightGray },
        ], Alignment.LowerRight);
        FeatureTicks(plot, ranking);
        return PlotEmbedding.Png(plot, 860, 120 + (30 * ranking.Count), "SHAP summary plot of the top features");
    }

    private static void FeatureTicks(Plot plot, IReadOnlyList<ShapSummary.RankedFeature> ranking)
    {
        plot.Axes.Left.TickGenerator = new NumericManual(
            [.. ranking.Select((_, k) => (double)(ranking.Count - 1 - k))],
            [.. ranking.Select(f => f.Name)]);
        plot.Axes.SetLimitsY(-0.6, ranking.Count - 0.4);
    }

    private static void Diagonal(Plot plot, string legend)
    {
        var diagonal = plot.Add.Line(0, 0, 1, 1);
        diagonal.LineColor = Colors.Gray;
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.LegendText = legend;
    }

    /// <summary>A curve through its points, leaving out points that would not move the line by a visible amount.</summary>
    private static void Curve(Plot plot, IEnumerable<(double X, double Y)> points, ReportScorer scorer, string legend)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        (double X, double Y) last = default;
        var list = points.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var p = list[i];
            if (i == 0 || i == list.Count - 1 || Math.Abs(p.X - last.X) + Math.Abs(p.Y - last.Y) >= CurveResolution)
            {
                xs.Add(p.X);
                ys.Add(p.Y);
                last = p;
            }
        }

        var line = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray(), Color.FromHex(scorer.Color));
        line.LineWidth = 2;
        line.LegendText = legend;
    }

    /// <summary>Markers where the scorers that use the levels stand at the MEDIUM and HIGH thresholds.</summary>
    private static void OperatingPoints(Plot plot, IReadOnlyList<ReportScorer> scorers, bool[] labels, double medium, double high, Func<ConfusionMatrix, (double X, double Y)> position)
    {
        var first = true;
        foreach (var scorer in scorers.Where(s => s.HasLevels))
        {
            foreach (var (threshold, shape, level) in new[] { (medium, MarkerShape.FilledTriangleUp, "MEDIUM"), (high, MarkerShape.FilledSquare, "HIGH") })
            {
                var (x, y) = position(BinaryMetrics.ConfusionMatrixAt(scorer.Scores, labels, threshold));
                if (double.IsNaN(x) || double.IsNaN(y))
                    continue;
                var marker = plot.Add.Marker(x, y, shape, 10, Color.FromHex(scorer.Color));
                if (first)
                    marker.LegendText = "at " + level;
            }

            first = false;
        }
    }
}
