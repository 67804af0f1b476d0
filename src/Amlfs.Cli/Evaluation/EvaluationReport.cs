using System.Globalization;
using System.Net;
using System.Text;
using Amlfs.Learning.Evaluation;

namespace Amlfs.Cli.Evaluation;

/// <summary>
/// A model evaluation as one self-contained HTML file: tables and plots inline (SVG, and a PNG data URI for the SHAP
/// summary), CSS in the page, no script and no reference to anything outside the file, so it opens offline and can be
/// attached to a review as it is. Sections: metadata, headline metrics of the model against the rules, recall by
/// typology, ROC and precision-recall curves, calibration, score histograms by label, confusion matrices at the
/// MEDIUM and HIGH thresholds, and, given SHAP values, the features ranked by mean |SHAP| and a SHAP summary plot.
/// </summary>
internal static class EvaluationReport
{
    /// <summary>The false-positive rate of the headline "recall at FPR" row.</summary>
    public const double HeadlineFalsePositiveRate = 0.01;

    /// <summary>The features the SHAP sections show.</summary>
    public const int TopFeatures = 20;

    /// <summary>The most rows the SHAP summary plot draws per feature.</summary>
    public const int MaxShapPoints = 2_000;

    private const int Seed = 20_240_601;

    private const string Style = """
        body{font-family:"DejaVu Sans","Liberation Sans",Arial,Helvetica,sans-serif;margin:2em auto;max-width:1000px;color:#222;padding:0 1em}
        h1{font-size:1.6em;margin-bottom:.3em}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}
        table{border-collapse:collapse;margin:.8em 0}th,td{border:1px solid #ccc;padding:.3em .7em;text-align:right}
        th{background:#f4f4f4}td.text,th.text{text-align:left}caption{text-align:left;font-weight:bold;padding:.3em 0}
        .matrices{display:flex;flex-wrap:wrap;gap:2em}figure{margin:1em 0}svg,img{max-width:100%;height:auto}
        .note{color:#8a5a00;background:#fff6e0;padding:.5em .8em;border-left:4px solid #e0a000}
        """;

    /// <summary>Writes the report to <paramref name="path"/> (UTF-8), creating its folder.</summary>
    public static void Write(EvaluationReportData data, string path)
    {
        var html = Render(data);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
            Directory.CreateDirectory(folder);
        File.WriteAllText(path, html, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    /// <summary>The report's HTML.</summary>
    /// <exception cref="ArgumentException">The data's arrays disagree, or its labels lack a class.</exception>
    public static string Render(EvaluationReportData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        data.Validate();
        List<ReportScorer> scorers =
        [
            new(data.ModelVersion, data.ModelScores, "#1f77b4", HasLevels: true),
            new(data.RulesVersion, data.RulesScores, "#ff7f0e", HasLevels: true),
        ];
        if (data.AnomalyScores is not null)
            scorers.Add(new ReportScorer("anomaly score", data.AnomalyScores, "#2ca02c", HasLevels: false));

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Encode(data.Title)).Append("</title>\n<style>").Append(Style).Append("</style>\n</head>\n<body>\n")
            .Append("<h1>").Append(Encode(data.Title)).Append("</h1>\n");
        if (!PlotEmbedding.HasFonts)
            html.Append("<p class=\"note\">No font was found on the machine that wrote this report, so the plots have no titles, labels or tick values; every number is in the tables. Installing a font package (e.g. fonts-dejavu-core) fixes it.</p>\n");
        Metadata(html, data);
        Headline(html, data, scorers);
        Typologies(html, data);
        Section(html, "roc", "ROC curves", EvaluationPlots.Roc(scorers, data.Labels, data.MediumThreshold, data.HighThreshold));
        Section(html, "precision-recall", "Precision-recall curves", EvaluationPlots.PrecisionRecall(scorers, data.Labels, data.MediumThreshold, data.HighThreshold));
        Section(html, "calibration", "Calibration", EvaluationPlots.Calibration(scorers[0], data.Labels));
        Section(html, "histograms", "Score distributions by label", string.Concat(
            scorers.Select((s, i) => EvaluationPlots.ScoreHistogram(s, data.Labels, data.MediumThreshold, data.HighThreshold, $"hist{i}-"))));
        ConfusionMatrices(html, data, scorers);
        Shap(html, data);
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void Metadata(StringBuilder html, EvaluationReportData data)
    {
        var positives = data.Labels.LongCount(l => l);
        html.Append("<table id=\"metadata\">\n");
        foreach (var (name, value) in new[]
        {
            ("Model version", data.ModelVersion),
            ("Rules version", data.RulesVersion),
            ("Period", data.Period),
            ("Rows", data.Labels.Length.ToString("N0", CultureInfo.InvariantCulture)),
            ("Positives", $"{positives.ToString("N0", CultureInfo.InvariantCulture)} ({Percent((double)positives / data.Labels.Length)})"),
            ("MEDIUM threshold", Number(data.MediumThreshold)),
            ("HIGH threshold", Number(data.HighThreshold)),
        })
        {
            html.Append("<tr><th class=\"text\">").Append(name).Append("</th><td class=\"text\">").Append(Encode(value)).Append("</td></tr>\n");
        }

        html.Append("</table>\n");
    }

    private static void Headline(StringBuilder html, EvaluationReportData data, List<ReportScorer> scorers)
    {
        var labels = data.Labels;
        var rows = new List<(string Metric, Func<ReportScorer, string> Value)>
        {
            ("ROC-AUC", s => Number(BinaryMetrics.RocAuc(s.Scores, labels))),
            ("PR-AUC (average precision)", s => Number(BinaryMetrics.AveragePrecision(s.Scores, labels))),
            ($"Recall at {Percent(HeadlineFalsePositiveRate)} FPR", s => Number(BinaryMetrics.RecallAtFalsePositiveRate(s.Scores, labels, HeadlineFalsePositiveRate))),
            ("Precision at HIGH", s => AtHigh(s, m => Number(m.Precision))),
            ("Recall at HIGH", s => AtHigh(s, m => Number(m.Recall))),
            ("F1 at HIGH", s => AtHigh(s, m => Number(m.F1))),
            ("Alert rate at HIGH", s => AtHigh(s, m => Percent(m.AlertRate))),
            ("Alert rate at MEDIUM or above", s => s.HasLevels ? Percent(BinaryMetrics.ConfusionMatrixAt(s.Scores, labels, data.MediumThreshold).AlertRate) : "–"),
        };
        string AtHigh(ReportScorer s, Func<ConfusionMatrix, string> value) =>
            s.HasLevels ? value(BinaryMetrics.ConfusionMatrixAt(s.Scores, labels, data.HighThreshold)) : "–";

        html.Append("<section id=\"headline\">\n<h2>Headline metrics</h2>\n<table>\n<tr><th class=\"text\">Metric</th>");
        foreach (var scorer in scorers)
            html.Append("<th>").Append(Encode(scorer.Name)).Append("</th>");
        html.Append("</tr>\n");
        foreach (var (metric, value) in rows)
        {
            html.Append("<tr><th class=\"text\">").Append(Encode(metric)).Append("</th>");
            foreach (var scorer in scorers)
                html.Append("<td>").Append(value(scorer)).Append("</td>");
            html.Append("</tr>\n");
        }

        html.Append("</table>\n</section>\n");
    }

    private static void Typologies(StringBuilder html, EvaluationReportData data)
    {
        if (data.TypologyRecalls.Count == 0)
            return;
        html.Append("<section id=\"typologies\">\n<h2>Recall by typology</h2>\n<table>\n<tr><th class=\"text\">Typology</th><th>Positives</th><th>")
            .Append(Encode(data.ModelVersion)).Append(" at HIGH</th><th>").Append(Encode(data.RulesVersion)).Append(" at HIGH</th><th>")
            .Append(Encode(data.ModelVersion)).Append(" at 1% FPR</th><th>").Append(Encode(data.RulesVersion)).Append(" at 1% FPR</th></tr>\n");
        foreach (var row in data.TypologyRecalls)
        {
            html.Append("<tr><td class=\"text\">").Append(Encode(row.Typology)).Append("</td><td>").Append(row.Positives.ToString("N0", CultureInfo.InvariantCulture))
                .Append("</td><td>").Append(Number(row.ModelRecall)).Append("</td><td>").Append(Number(row.RulesRecall))
                .Append("</td><td>").Append(Number(row.ModelRecallAt1PctFpr)).Append("</td><td>").Append(Number(row.RulesRecallAt1PctFpr)).Append("</td></tr>\n");
        }

        html.Append("</table>\n</section>\n");
    }

    private static void ConfusionMatrices(StringBuilder html, EvaluationReportData data, List<ReportScorer> scorers)
    {
        html.Append("<section id=\"confusion\">\n<h2>Confusion matrices</h2>\n<div class=\"matrices\">\n");
        foreach (var scorer in scorers.Where(s => s.HasLevels))
        {
            foreach (var (level, threshold) in new[] { ("MEDIUM", data.MediumThreshold), ("HIGH", data.HighThreshold) })
            {
                var m = BinaryMetrics.ConfusionMatrixAt(scorer.Scores, data.Labels, threshold);
                html.Append("<table class=\"confusion\">\n<caption>").Append(Encode(scorer.Name)).Append(" at ").Append(level)
                    .Append(" (score ≥ ").Append(Number(threshold)).Append(")</caption>\n")
                    .Append("<tr><th></th><th>Flagged</th><th>Not flagged</th></tr>\n")
                    .Append("<tr><th class=\"text\">Positive</th><td>").Append(Count(m.TruePositives)).Append("</td><td>").Append(Count(m.FalseNegatives)).Append("</td></tr>\n")
                    .Append("<tr><th class=\"text\">Negative</th><td>").Append(Count(m.FalsePositives)).Append("</td><td>").Append(Count(m.TrueNegatives)).Append("</td></tr>\n")
                    .Append("<tr><td class=\"text\" colspan=\"3\">precision ").Append(Number(m.Precision)).Append(", recall ").Append(Number(m.Recall))
                    .Append(", alert rate ").Append(Percent(m.AlertRate)).Append("</td></tr>\n</table>\n");
            }
        }

        html.Append("</div>\n</section>\n");
    }

    private static void Shap(StringBuilder html, EvaluationReportData data)
    {
        if (data.ShapValues.Length == 0)
            return;
        var summary = ShapSummary.Compute(data, TopFeatures, MaxShapPoints, Seed);
        Section(html, "importance", "Features by mean |SHAP|", EvaluationPlots.Importance(summary));
        var rows = data.ShapValues.Length / data.FeatureNames.Count;
        Section(html, "shap-summary", "SHAP summary", EvaluationPlots.ShapBeeswarm(data, summary, Seed),
            $"{summary.SampleRows.Length.ToString("N0", CultureInfo.InvariantCulture)} of {rows.ToString("N0", CultureInfo.InvariantCulture)} rows; colour is the feature value's percentile among them.");
    }

    private static void Section(StringBuilder html, string id, string heading, string figure, string? caption = null)
    {
        html.Append("<section id=\"").Append(id).Append("\">\n<h2>").Append(Encode(heading)).Append("</h2>\n<figure>\n").Append(figure).Append('\n');
        if (caption is not null)
            html.Append("<figcaption>").Append(Encode(caption)).Append("</figcaption>\n");
        html.Append("</figure>\n</section>\n");
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Number(double value) => double.IsNaN(value) ? "n/a" : value.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Percent(double value) => double.IsNaN(value) ? "n/a" : value.ToString("0.00%", CultureInfo.InvariantCulture);

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
