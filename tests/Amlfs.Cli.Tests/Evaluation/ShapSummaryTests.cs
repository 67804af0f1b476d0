using Amlfs.Cli.Evaluation;

namespace Amlfs.Cli.Tests.Evaluation;

public sealed class ShapSummaryTests
{
    [Fact]
    public void Features_are_ranked_by_mean_absolute_shap_and_cut_to_the_top()
    {
        var summary = ShapSummary.Compute(ReportFixture.Full(), top: 20, maxPoints: 2_000, seed: 1);

        Assert.Equal(20, summary.Ranking.Count);
        Assert.Equal(Enumerable.Range(0, 20).Select(f => $"feature_{f:00}"), summary.Ranking.Select(f => f.Name));
        Assert.True(summary.Ranking.Zip(summary.Ranking.Skip(1)).All(p => p.First.MeanAbsShap >= p.Second.MeanAbsShap));
    }

    [Fact]
    public void The_summary_plot_draws_a_fixed_sample_of_at_most_the_maximum_rows()
    {
        var first = ShapSummary.Compute(ReportFixture.Full(), top: 5, maxPoints: 2_000, seed: 1);
        var again = ShapSummary.Compute(ReportFixture.Full(), top: 5, maxPoints: 2_000, seed: 1);

        Assert.Equal(2_000, first.SampleRows.Length);
        Assert.Equal(first.SampleRows.Length, first.SampleRows.Distinct().Count());
        Assert.Equal(first.SampleRows, again.SampleRows);
    }

    [Fact]
    public void Colours_follow_the_percentile_rank_with_ties_sharing_it_and_missing_values_without_one()
    {
        var data = new EvaluationReportData
        {
            Title = "t",
            ModelVersion = "m",
            Period = "p",
            ModelScores = [],
            RulesScores = [],
            Labels = [],
            HighThreshold = 0.5,
            MediumThreshold = 0.2,
            FeatureNames = ["a"],
            ShapValues = [0.1, 0.2, 0.3, 0.4, 0.5],
            FeatureValues = [10, 30, 20, double.NaN, 20],
        };
        var summary = ShapSummary.Compute(data, top: 1, maxPoints: 10, seed: 1);

        var (x, offset, percentile) = summary.Points(data, 0, seed: 1);

        Assert.Equal([0.1, 0.2, 0.3, 0.4, 0.5], x);
        // Sorted present values 10, 20, 20, 30: ranks 0, 1.5, 1.5, 3 out of 3.
        Assert.Equal([0, 1, 0.5, double.NaN, 0.5], percentile);
        Assert.All(offset, o => Assert.InRange(o, -0.4, 0.4));
    }
}
