namespace Amlfs.Learning.Anomaly;

/// <summary>
/// Grows the isolation trees of one forest into flat node arrays, in pre-order: an inner node's left child is the next
/// node, its right child is at <c>Right</c>. A leaf's value is the path length it stands for: its depth plus c(size),
/// the average path length of an unbuilt tree over the rows that reached it.
/// </summary>
internal sealed class IsolationTreeGrower(double[] data, int featureCount, int heightLimit, ulong seed)
{
    private readonly List<int> _feature = [];
    private readonly List<double> _value = [];
    private readonly List<int> _right = [];
    private readonly int[] _candidates = new int[featureCount];
    private readonly double[] _min = new double[featureCount];
    private readonly double[] _max = new double[featureCount];
    private SplitMix64 _random = new(seed);

    public int[] Features => [.. _feature];

    public double[] Values => [.. _value];

    public int[] Rights => [.. _right];

    /// <summary>Draws psi of the rows without replacement (a partial Fisher-Yates shuffle) and grows a tree on them.</summary>
    /// <returns>The tree's root node.</returns>
    public int GrowTree(int[] rowOrder, int subsampleSize)
    {
        for (var i = 0; i < subsampleSize; i++)
        {
            var j = i + _random.NextInt(rowOrder.Length - i);
            (rowOrder[i], rowOrder[j]) = (rowOrder[j], rowOrder[i]);
        }

        var root = _feature.Count;
        Grow(rowOrder.AsSpan(0, subsampleSize), 0);
        return root;
    }

    /// <summary>
    /// iTree(X, e): a leaf at the height limit, for one row or none, or when no attribute varies across X; otherwise
    /// an attribute q drawn among those that vary and a split p uniform in (min q, max q], rows with x_q &lt; p going left.
    /// </summary>
    private void Grow(Span<int> rows, int depth)
    {
        if (depth >= heightLimit || rows.Length <= 1)
        {
            AddLeaf(depth, rows.Length);
            return;
        }

        var candidates = 0;
        for (var f = 0; f < featureCount; f++)
        {
            double min = double.PositiveInfinity, max = double.NegativeInfinity;
            foreach (var row in rows)
            {
                var x = data[(row * featureCount) + f];
                min = Math.Min(min, x);
                max = Math.Max(max, x);
            }

            _min[f] = min;
            _max[f] = max;
            if (max > min)
                _candidates[candidates++] = f;
        }

        if (candidates == 0)
        {
            AddLeaf(depth, rows.Length);
            return;
        }

        var q = _candidates[_random.NextInt(candidates)];
        double low = _min[q], high = _max[q], p;
        // p = low would send every row right; it takes a draw of exactly 0 (or an underflow), so draw again.
        do
        {
            p = low + (_random.NextDouble() * (high - low));
        }
        while (p <= low);

        var left = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            if (data[(rows[i] * featureCount) + q] < p)
            {
                (rows[i], rows[left]) = (rows[left], rows[i]);
                left++;
            }
        }

        var node = _feature.Count;
        _feature.Add(q);
        _value.Add(p);
        _right.Add(-1);
        Grow(rows[..left], depth + 1);
        _right[node] = _feature.Count;
        Grow(rows[left..], depth + 1);
    }

    private void AddLeaf(int depth, int size)
    {
        _feature.Add(-1);
        _value.Add(depth + IsolationForest.AveragePathLength(size));
        _right.Add(-1);
    }
}
