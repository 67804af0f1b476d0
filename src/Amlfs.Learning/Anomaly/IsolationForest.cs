using System.Text.Json;
using System.Text.Json.Serialization;

namespace Amlfs.Learning.Anomaly;

/// <summary>
/// Isolation forest (Liu, Ting and Zhou, 2008): anomalies are few and different, so random axis-parallel splits
/// isolate them in fewer steps than normal rows. The anomaly score of a row x is s(x) = 2^(-E[h(x)] / c(psi)), in
/// (0, 1): near 1 for anomalies, below about 0.5 for normal rows; higher is more anomalous.
/// </summary>
/// <remarks>
/// <para>
/// Each of the t trees is grown on psi rows drawn without replacement, to the height limit ceil(log2 psi). The path
/// length h(x) of a tree is the number of edges from the root to the leaf x reaches plus c(n) for the n training rows
/// in that leaf, where c(n) = 2 H(n - 1) - 2 (n - 1) / n with H(i) = ln(i) + 0.5772156649 (Euler's constant), and
/// c(2) = 1, c(1) = c(0) = 0.
/// </para>
/// <para>
/// NaN is a missing value and reads as one fixed number per feature: the median of that feature's non-NaN training
/// values (0 when all are NaN), both when growing and when scoring. Infinite values are refused.
/// </para>
/// <para>
/// Random numbers come from SplitMix64 seeded with <see cref="IsolationForestOptions.Seed"/>, so the same data, options
/// and seed grow the same forest. The JSON form holds every node's numbers in their shortest round-trip form, so a
/// forest read back scores every row exactly as the original.
/// </para>
/// </remarks>
public sealed class IsolationForest
{
    private const double EulerGamma = 0.5772156649015329;
    private const int FormatVersion = 1;

    private readonly double[] _missing;
    private readonly int[] _roots;
    private readonly int[] _feature;
    private readonly double[] _value;
    private readonly int[] _right;
    private readonly double _normalizer;

    private IsolationForest(int featureCount, int subsampleSize, double[] missing, int[] roots, int[] feature, double[] value, int[] right)
    {
        FeatureCount = featureCount;
        SubsampleSize = subsampleSize;
        _missing = missing;
        _roots = roots;
        _feature = feature;
        _value = value;
        _right = right;
        _normalizer = AveragePathLength(subsampleSize);
    }

    /// <summary>The features of a row.</summary>
    public int FeatureCount { get; }

    /// <summary>The rows each tree was grown on, psi (the option, capped at the training rows).</summary>
    public int SubsampleSize { get; }

    /// <summary>The number of trees, t.</summary>
    public int TreeCount => _roots.Length;

    /// <summary>The trees' height limit, ceil(log2 psi).</summary>
    public int HeightLimit => HeightLimitOf(SubsampleSize);

    /// <summary>The value each feature's NaN reads as: the median of its non-NaN training values.</summary>
    public IReadOnlyList<double> MissingValues => _missing;

    /// <summary>Grows a forest on a dense row-major matrix.</summary>
    /// <param name="matrix">rows x <paramref name="featureCount"/> values, row after row; NaN is missing.</param>
    /// <param name="featureCount">The values per row, at least 1.</param>
    /// <param name="options">Trees, subsample and seed; the paper's defaults and seed 0 when null.</param>
    /// <exception cref="ArgumentException">The matrix is not whole rows, has fewer than 2 rows, or holds an infinity.</exception>
    public static IsolationForest Fit(ReadOnlySpan<double> matrix, int featureCount, IsolationForestOptions? options = null)
    {
        options ??= new IsolationForestOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.TreeCount, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SubsampleSize, 2, nameof(options));
        if (matrix.Length % featureCount != 0)
            throw new ArgumentException($"{matrix.Length} values are not whole rows of {featureCount}.", nameof(matrix));
        var rows = matrix.Length / featureCount;
        if (rows < 2)
            throw new ArgumentException("An isolation forest needs at least 2 rows.", nameof(matrix));
        foreach (var x in matrix)
        {
            if (double.IsInfinity(x))
                throw new ArgumentException("The matrix holds an infinite value; NaN is the missing value.", nameof(matrix));
        }

        var missing = Medians(matrix, featureCount);
        var data = matrix.ToArray();
        for (var i = 0; i < data.Length; i++)
        {
            if (double.IsNaN(data[i]))
                data[i] = missing[i % featureCount];
        }

        var subsampleSize = Math.Min(options.SubsampleSize, rows);
        var grower = new IsolationTreeGrower(data, featureCount, HeightLimitOf(subsampleSize), options.Seed);
        var rowOrder = new int[rows];
        for (var i = 0; i < rows; i++)
            rowOrder[i] = i;
        var roots = new int[options.TreeCount];
        for (var t = 0; t < roots.Length; t++)
            roots[t] = grower.GrowTree(rowOrder, subsampleSize);
        return new IsolationForest(featureCount, subsampleSize, missing, roots, grower.Features, grower.Values, grower.Rights);
    }

    /// <summary>The anomaly score s(x) of one row, in (0, 1), higher = more anomalous. Allocates nothing.</summary>
    /// <param name="row"><see cref="FeatureCount"/> values; NaN is missing.</param>
    public double Score(ReadOnlySpan<double> row)
    {
        if (row.Length != FeatureCount)
            throw new ArgumentException($"A row has {FeatureCount} values, not {row.Length}.", nameof(row));
        double pathLengths = 0;
        foreach (var root in _roots)
        {
            var node = root;
            while (_feature[node] >= 0)
            {
                var f = _feature[node];
                var x = row[f];
                if (double.IsNaN(x))
                    x = _missing[f];
                node = x < _value[node] ? node + 1 : _right[node];
            }

            pathLengths += _value[node];
        }

        return Math.Pow(2, -(pathLengths / _roots.Length) / _normalizer);
    }

    /// <summary>Scores every row of a dense row-major matrix into <paramref name="scores"/>.</summary>
    public void Score(ReadOnlySpan<double> matrix, Span<double> scores)
    {
        if (matrix.Length != scores.Length * FeatureCount)
            throw new ArgumentException($"{matrix.Length} values are not {scores.Length} rows of {FeatureCount}.", nameof(matrix));
        for (var i = 0; i < scores.Length; i++)
            scores[i] = Score(matrix.Slice(i * FeatureCount, FeatureCount));
    }

    /// <summary>The JSON form: the options' outcome, the missing values and the node arrays.</summary>
    public string ToJson() => JsonSerializer.Serialize(new ForestJson(
        FormatVersion, FeatureCount, SubsampleSize, _missing, _roots, _feature, _value, _right));

    /// <summary>Reads the JSON form that <see cref="ToJson"/> writes, checking that every tree is well formed.</summary>
    /// <exception cref="JsonException">The text is not an isolation forest of this format.</exception>
    public static IsolationForest FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var form = JsonSerializer.Deserialize<ForestJson>(json) ?? throw new JsonException("The forest is null.");
        if (form.Version != FormatVersion)
            throw new JsonException($"Isolation forest format {form.Version} is not {FormatVersion}.");
        if (form.FeatureCount < 1 || form.SubsampleSize < 2 || form.Missing is null || form.Missing.Length != form.FeatureCount
            || form.Roots is not { Length: > 0 } || form.Feature is null || form.Value is null || form.Right is null
            || form.Value.Length != form.Feature.Length || form.Right.Length != form.Feature.Length)
        {
            throw new JsonException("The isolation forest's sizes do not match.");
        }

        var nodes = form.Feature.Length;
        foreach (var root in form.Roots)
        {
            if (root < 0 || root >= nodes)
                throw new JsonException($"Root {root} is not a node.");
        }

        for (var i = 0; i < nodes; i++)
        {
            // Children come after their parent, so every walk ends at a leaf.
            var f = form.Feature[i];
            if (f >= form.FeatureCount || (f >= 0 && (i + 1 >= nodes || form.Right[i] <= i + 1 || form.Right[i] >= nodes)))
                throw new JsonException($"Node {i} is not a leaf or a split with children after it.");
        }

        return new IsolationForest(form.FeatureCount, form.SubsampleSize, form.Missing, form.Roots, form.Feature, form.Value, form.Right);
    }

    /// <summary>c(n), the average path length of an unsuccessful search in a binary search tree of n rows.</summary>
    internal static double AveragePathLength(int n) => n switch
    {
        <= 1 => 0,
        2 => 1,
        _ => (2 * (Math.Log(n - 1) + EulerGamma)) - (2.0 * (n - 1) / n),
    };

    private static int HeightLimitOf(int subsampleSize) => (int)Math.Ceiling(Math.Log2(subsampleSize));

    private static double[] Medians(ReadOnlySpan<double> matrix, int featureCount)
    {
        var medians = new double[featureCount];
        var column = new List<double>(matrix.Length / featureCount);
        for (var f = 0; f < featureCount; f++)
        {
            column.Clear();
            for (var i = f; i < matrix.Length; i += featureCount)
            {
                if (!double.IsNaN(matrix[i]))
                    column.Add(matrix[i]);
            }

            column.Sort();
            var n = column.Count;
            medians[f] = n == 0 ? 0 : n % 2 == 1 ? column[n / 2] : (column[(n / 2) - 1] + column[n / 2]) / 2;
        }

        return medians;
    }

    /// <summary>The JSON form. <c>value</c> is a split's threshold, or a leaf's path length (depth + c(size)).</summary>
    private sealed record ForestJson(
        [property: JsonPropertyName("version")] int Version,
        [property: JsonPropertyName("featureCount")] int FeatureCount,
        [property: JsonPropertyName("subsampleSize")] int SubsampleSize,
        [property: JsonPropertyName("missing")] double[]? Missing,
        [property: JsonPropertyName("roots")] int[]? Roots,
        [property: JsonPropertyName("feature")] int[]? Feature,
        [property: JsonPropertyName("value")] double[]? Value,
        [property: JsonPropertyName("right")] int[]? Right);
}
