using System.Text.RegularExpressions;
using Amlfs.Cli.Evaluation;
using Amlfs.Learning.Evaluation;
using Amlfs.Testing;

namespace Amlfs.Cli.Tests.Evaluation;

public sealed partial class EvaluationReportTests : IDisposable
{
    private static readonly string[] SectionIds =
        ["metadata", "headline", "typologies", "roc", "precision-recall", "calibration", "histograms", "confusion", "importance", "shap-summary"];

    /// <summary>Rendered once: the tests read the same page.</summary>
    private static readonly Lazy<string> FullReport = new(() => EvaluationReport.Render(ReportFixture.Full()));

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void The_report_is_one_file_with_every_section_and_a_plot_in_each_plot_section()
    {
        var path = Path.Combine(_directory.Path, "reports", "evaluation.html");

        EvaluationReport.Write(ReportFixture.Full(), path);

        var html = File.ReadAllText(path);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        foreach (var id in SectionIds)
            Assert.Contains($"id=\"{id}\"", html, StringComparison.Ordinal);
        foreach (var id in new[] { "roc", "precision-recall", "calibration", "histograms", "importance", "shap-summary" })
        {
            var section = SectionOf(html, id);
            Assert.True(section.Contains("<svg", StringComparison.Ordinal) || section.Contains("src=\"data:image/png;base64,", StringComparison.Ordinal), id);
        }

        // One histogram per scorer: model, rules and the anomaly score.
        Assert.Equal(3, Regex.Count(SectionOf(html, "histograms"), "<svg"));
        // Confusion matrices at MEDIUM and HIGH for the model and the rules.
        Assert.Equal(4, Regex.Count(SectionOf(html, "confusion"), "<table"));
    }

    [Fact]
    public void The_page_refers_to_nothing_outside_itself()
    {
        var html = FullReport.Value;

        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.All(Regex.Matches(html, "\\bsrc=\"([^\"]*)\"").Select(m => m.Groups[1].Value), src => Assert.StartsWith("data:image/png;base64,", src, StringComparison.Ordinal));
        Assert.All(Regex.Matches(html, "\\bhref=\"([^\"]*)\"").Select(m => m.Groups[1].Value), href => Assert.StartsWith("#", href, StringComparison.Ordinal));
        Assert.All(Regex.Matches(html, "url\\(([^)]*)\\)").Select(m => m.Groups[1].Value), url => Assert.StartsWith("#", url, StringComparison.Ordinal));
    }

    [Fact]
    public void Ids_of_the_inline_plots_are_unique_on_the_page_and_each_reference_finds_its_target()
    {
        var html = FullReport.Value;

        var ids = Regex.Matches(html, "\\bid=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        var references = Regex.Matches(html, "url\\(#([^)]+)\\)").Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.Contains(r, ids));
    }

    [Fact]
    public void The_plots_carry_their_text_when_the_machine_has_a_font_and_the_page_says_so_when_not()
    {
        var html = FullReport.Value;

        if (PlotEmbedding.HasFonts)
        {
            Assert.Contains("<text", SectionOf(html, "roc"), StringComparison.Ordinal);
            Assert.DoesNotContain("class=\"note\"", html, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("No font was found", html, StringComparison.Ordinal);
        }

        var png = Convert.FromBase64String(PngPayload().Match(html).Groups[1].Value);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
    }

    [Fact]
    public void Headline_metrics_are_the_binary_metrics_of_each_scorer()
    {
        var data = ReportFixture.Full();
        var headline = SectionOf(FullReport.Value, "headline");

        var modelAuc = BinaryMetrics.RocAuc(data.ModelScores, data.Labels).ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture);
        var rulesAp = BinaryMetrics.AveragePrecision(data.RulesScores, data.Labels).ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture);
        var high = BinaryMetrics.ConfusionMatrixAt(data.ModelScores, data.Labels, data.HighThreshold);

        Assert.Contains($"<td>{modelAuc}</td>", headline, StringComparison.Ordinal);
        Assert.Contains($"<td>{rulesAp}</td>", headline, StringComparison.Ordinal);
        Assert.Contains($"<td>{high.AlertRate:0.00%}</td>", headline, StringComparison.Ordinal);
        Assert.Contains("Recall at 1.00% FPR", headline, StringComparison.Ordinal);
    }

    [Fact]
    public void Optional_inputs_left_out_leave_their_sections_out()
    {
        var html = EvaluationReport.Render(ReportFixture.Full() with { AnomalyScores = null, TypologyRecalls = [], FeatureNames = [], ShapValues = [], FeatureValues = [] });

        Assert.DoesNotContain("id=\"typologies\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"importance\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"shap-summary\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("anomaly score", html, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(SectionOf(html, "histograms"), "<svg"));
    }

    [Fact]
    public void Data_without_both_classes_or_with_mismatched_arrays_is_refused()
    {
        var data = ReportFixture.Full();

        Assert.Throws<ArgumentException>(() => EvaluationReport.Render(data with { Labels = new bool[data.Labels.Length] }));
        Assert.Throws<ArgumentException>(() => EvaluationReport.Render(data with { RulesScores = data.RulesScores[1..] }));
        Assert.Throws<ArgumentException>(() => EvaluationReport.Render(data with { FeatureValues = data.FeatureValues[1..] }));
        Assert.Throws<ArgumentException>(() => EvaluationReport.Render(data with { MediumThreshold = 0.9, HighThreshold = 0.5 }));
    }

    [Fact]
    public void Text_from_the_inputs_is_escaped()
    {
        var html = EvaluationReport.Render(ReportFixture.Full() with { Title = "<b>Q1</b> & more", FeatureNames = [], ShapValues = [], FeatureValues = [] });

        Assert.Contains("<h1>&lt;b&gt;Q1&lt;/b&gt; &amp; more</h1>", html, StringComparison.Ordinal);
    }

    /// <summary>The markup from a section's opening tag to its closing tag.</summary>
    private static string SectionOf(string html, string id)
    {
        var start = html.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, id);
        var end = html.IndexOf("</section>", start, StringComparison.Ordinal);
        return html[start..end];
    }

    [GeneratedRegex("src=\"data:image/png;base64,([^\"]+)\"")]
    private static partial Regex PngPayload();
}
