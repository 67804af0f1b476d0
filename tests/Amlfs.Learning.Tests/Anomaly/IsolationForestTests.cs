using System.Text.Json;
using Amlfs.Learning.Anomaly;

namespace Amlfs.Learning.Tests.Anomaly;

public sealed class IsolationForestTests
{
    private const int Features = 3;
    private const int Inliers = 1_000;

    private static readonly double[][] Outliers = [[6, 6, 6], [-6, 6, -6], [7, -7, 7], [-8, -8, -8], [6, -6, -6]];

    /// <summary>1,000 rows from a standard normal cloud in 3 dimensions, then 5 rows far outside it in every dimension.</summary>
    private static readonly double[] Matrix = MakeMatrix();

    [Fact]
    public void Outliers_score_higher_than_every_inlier()
    {
        var forest = IsolationForest.Fit(Matrix, Features, new IsolationForestOptions { Seed = 1 });
        var scores = new double[Inliers + Outliers.Length];

        forest.Score(Matrix, scores);

        var inliers = scores[..Inliers];
        var outliers = scores[Inliers..];
        Assert.All(scores, s => Assert.InRange(s, double.Epsilon, 1));
        Assert.True(outliers.Min() > inliers.Max(), $"outliers {string.Join(", ", outliers)}, inliers top {string.Join(", ", inliers.OrderDescending().Take(12))}");
        Assert.True(outliers.Min() > 0.6, $"lowest outlier {outliers.Min()}");
        Assert.True(inliers.Average() < 0.5, $"mean inlier {inliers.Average()}");
    }

    [Fact]
    public void The_same_data_and_seed_grow_the_same_forest_and_another_seed_another()
    {
        var options = new IsolationForestOptions { TreeCount = 20, Seed = 99 };

        var first = IsolationForest.Fit(Matrix, Features, options).ToJson();
        var second = IsolationForest.Fit(Matrix, Features, options).ToJson();
        var reseeded = IsolationForest.Fit(Matrix, Features, options with { Seed = 100 }).ToJson();

        Assert.Equal(first, second);
        Assert.NotEqual(first, reseeded);
    }

    [Fact]
    public void A_forest_read_back_from_json_gives_identical_scores()
    {
        var withMissing = (double[])Matrix.Clone();
        withMissing[4] = double.NaN;
        var forest = IsolationForest.Fit(withMissing, Features, new IsolationForestOptions { TreeCount = 30, SubsampleSize = 64, Seed = 5 });

        var back = IsolationForest.FromJson(forest.ToJson());

        Assert.Equal(forest.ToJson(), back.ToJson());
        Assert.Equal((forest.TreeCount, forest.SubsampleSize, forest.FeatureCount, forest.HeightLimit), (back.TreeCount, back.SubsampleSize, back.FeatureCount, back.HeightLimit));
        for (var i = 0; i < withMissing.Length / Features; i++)
        {
            var row = withMissing.AsSpan(i * Features, Features);
            Assert.Equal(forest.Score(row), back.Score(row));
        }
    }

    [Fact]
    public void A_missing_value_scores_as_the_feature_median()
    {
        var forest = IsolationForest.Fit(Matrix, Features, new IsolationForestOptions { TreeCount = 25 });
        var median = forest.MissingValues[1];
        var sorted = Matrix.Where((_, i) => i % Features == 1).Order().ToArray();

        Assert.Equal(1_005, sorted.Length);
        Assert.Equal(sorted[502], median);
        Assert.Equal(forest.Score([0.3, median, -0.2]), forest.Score([0.3, double.NaN, -0.2]));
    }

    [Fact]
    public void The_paper_defaults_give_100_trees_of_256_rows_limited_to_height_8()
    {
        var forest = IsolationForest.Fit(Matrix, Features);

        Assert.Equal((100, 256, 8), (forest.TreeCount, forest.SubsampleSize, forest.HeightLimit));
    }

    [Fact]
    public void The_subsample_is_capped_at_the_rows_given()
    {
        var forest = IsolationForest.Fit([1, 2, 3, 4, 100], 1, new IsolationForestOptions { TreeCount = 50 });

        Assert.Equal((5, 3), (forest.SubsampleSize, forest.HeightLimit));
        Assert.True(forest.Score([100]) > forest.Score([3]));
    }

    [Fact]
    public void Scoring_a_row_allocates_nothing()
    {
        var forest = IsolationForest.Fit(Matrix, Features, new IsolationForestOptions { TreeCount = 10 });
        double[] row = [0.1, 0.2, 0.3];
        forest.Score(row);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
            forest.Score(row);

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(2, 1.0)]
    [InlineData(256, 10.244770920119917)] // 2 (ln 255 + 0.5772156649015329) - 2 * 255 / 256
    public void The_average_path_length_follows_the_paper(int n, double expected)
    {
        Assert.Equal(expected, IsolationForest.AveragePathLength(n), 12);
    }

    [Fact]
    public void A_forest_whose_children_point_backwards_is_refused()
    {
        var forest = IsolationForest.Fit([1, 2, 3, 4], 1, new IsolationForestOptions { TreeCount = 1 });
        var json = forest.ToJson();
        var rights = json[(json.IndexOf("\"right\":[", StringComparison.Ordinal) + 9)..];

        var broken = json.Replace("\"right\":[" + rights, "\"right\":[0" + rights[rights.IndexOfAny([',', ']'])..], StringComparison.Ordinal);

        Assert.Throws<JsonException>(() => IsolationForest.FromJson(broken));
        Assert.Throws<ArgumentException>(() => IsolationForest.Fit([1, double.PositiveInfinity], 1));
        Assert.Throws<ArgumentException>(() => IsolationForest.Fit([1, 2, 3], 2));
    }

    private static double[] MakeMatrix()
    {
        var random = new Random(2008);
        var matrix = new List<double>();
        for (var i = 0; i < Inliers * Features; i++)
        {
            // Box-Muller: a standard normal from two uniforms.
            var u = 1 - random.NextDouble();
            matrix.Add(Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }

        foreach (var outlier in Outliers)
            matrix.AddRange(outlier);
        return [.. matrix];
    }
}
