namespace Amlfs.Cli.Evaluation;

/// <summary>
/// The SHAP sections' numbers: features ranked by mean |SHAP| over all rows, and for the summary plot a sample of at
/// most <c>maxPoints</c> rows (the same rows for every feature, drawn with a fixed seed), each point placed at its SHAP
/// value with a vertical offset that grows with the local density of points (a beeswarm's outline) and coloured by its
/// feature value's percentile rank among the sampled rows (ties share a rank; NaN has none).
/// </summary>
internal sealed class ShapSummary
{
    private const int DensityBins = 40;
    private const double MaxOffset = 0.4;

    private ShapSummary(IReadOnlyList<RankedFeature> ranking, int[] sampleRows)
    {
        Ranking = ranking;
        SampleRows = sampleRows;
    }

    /// <summary>The top features, highest mean |SHAP| first.</summary>
    public IReadOnlyList<RankedFeature> Ranking { get; }

    /// <summary>The rows the summary plot draws, ascending.</summary>
    public int[] SampleRows { get; }

    public static ShapSummary Compute(EvaluationReportData data, int top, int maxPoints, int seed)
    {
        var features = data.FeatureNames.Count;
        var rows = features == 0 ? 0 : data.ShapValues.Length / features;
        var meanAbs = new double[features];
        for (var r = 0; r < rows; r++)
        {
            for (var f = 0; f < features; f++)
                meanAbs[f] += Math.Abs(data.ShapValues[(r * features) + f]) / rows;
        }

        var ranking = Enumerable.Range(0, features)
            .OrderByDescending(f => meanAbs[f]).ThenBy(f => f)
            .Take(top)
            .Select(f => new RankedFeature(data.FeatureNames[f], f, meanAbs[f]))
            .ToArray();
        var order = Enumerable.Range(0, rows).ToArray();
        if (rows > maxPoints)
        {
            var random = new Random(seed);
            for (var i = 0; i < maxPoints; i++)
            {
                var j = random.Next(i, rows);
                (order[i], order[j]) = (order[j], order[i]);
            }

            order = [.. order.Take(maxPoints).Order()];
        }

        return new ShapSummary(ranking, order);
    }

    /// <summary>
    /// The summary plot's points for one feature, one per sampled row: x = SHAP value, y = offset from the feature's
    /// line in [-0.4, 0.4], and the value's percentile in [0, 1] (NaN for a missing value).
    /// </summary>
    public (double[] X, double[] Offset, double[] Percentile) Points(EvaluationReportData data, int feature, int seed)
    {
        var features = data.FeatureNames.Count;
        var n = SampleRows.Length;
        var x = new double[n];
        var value = new double[n];
        for (var i = 0; i < n; i++)
        {
            x[i] = data.ShapValues[(SampleRows[i] * features) + feature];
            value[i] = data.FeatureValues[(SampleRows[i] * features) + feature];
        }

        return (x, Offsets(x, seed), Percentiles(value));
    }

    /// <summary>Uniform jitter scaled by the share of points in the same bin of x, so dense regions spread wider.</summary>
    private static double[] Offsets(double[] x, int seed)
    {
        var random = new Random(seed);
        var offsets = new double[x.Length];
        if (x.Length == 0)
            return offsets;
        double min = x.Min(), max = x.Max();
        var width = max > min ? (max - min) / DensityBins : 1;
        var counts = new int[DensityBins];
        int BinOf(double v) => Math.Min((int)((v - min) / width), DensityBins - 1);
        foreach (var v in x)
            counts[BinOf(v)]++;
        var peak = counts.Max();
        for (var i = 0; i < x.Length; i++)
            offsets[i] = ((2 * random.NextDouble()) - 1) * MaxOffset * counts[BinOf(x[i])] / peak;
        return offsets;
    }

    /// <summary>Each value's mid-rank among the non-missing values, scaled to [0, 1]; 0.5 when all are equal.</summary>
    private static double[] Percentiles(double[] values)
    {
        var percentiles = new double[values.Length];
        var present = Enumerable.Range(0, values.Length).Where(i => !double.IsNaN(values[i])).OrderBy(i => values[i]).ToArray();
        for (var i = 0; i < values.Length; i++)
            percentiles[i] = double.NaN;
        for (var start = 0; start < present.Length;)
        {
            var end = start;
            while (end + 1 < present.Length && values[present[end + 1]] == values[present[start]])
                end++;
            var rank = present.Length == 1 ? 0.5 : (start + end) / 2.0 / (present.Length - 1);
            for (var k = start; k <= end; k++)
                percentiles[present[k]] = rank;
            start = end + 1;
        }

        return percentiles;
    }

    /// <summary>A feature and its mean |SHAP|.</summary>
    internal readonly record struct RankedFeature(string Name, int Index, double MeanAbsShap);
}
