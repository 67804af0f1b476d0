using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Amlfs.Learning.Trees;

/// <summary>
/// Exact path-dependent TreeSHAP over a <see cref="TreeEnsemble"/>: the SHAP value of each feature for one row, with
/// expectations over the training rows as the trees' covers record them, so that the base value plus the
/// contributions is the raw score. The values are those of Lundberg, Erion and Lee's Algorithm 2 (and LightGBM's
/// own), computed another way, in time linear in the nodes.
/// </summary>
/// <remarks>
/// <para>
/// On the path to a leaf of value v, each feature k has a zero fraction z (the product of the cover shares of its
/// splits on the path) and a one fraction o (1 when the row goes this way at every split on k, else 0). The Shapley
/// weight s!(d−s−1)!/d! of a subset of s of the path's d features is ∫₀¹ tˢ(1−t)^(d−s−1) dt, so the leaf's share
/// of feature i's value is v (oᵢ − zᵢ) ∫₀¹ P(t) / qᵢ(t) dt, where qₖ(t) = zₖ + t(oₖ − zₖ) and P is their product
/// over the path. The integrand is a polynomial of degree below d, which Gauss–Legendre quadrature with
/// ⌈depth/2⌉ points integrates exactly (up to rounding): so each node carries P, and then the sum S of vP over the
/// leaves below it, at those points only. Feature i's value gathers, over the edges below a split on i, S times
/// rᵢ(t) = (oᵢ − zᵢ)/qᵢ(t); when i was split on higher up the path too, that edge also takes back the term the
/// higher split counted for these leaves, so each leaf is counted once, at its last split on i. This is the idea of
/// Linear TreeShap (Yu, Guo and Shen, 2022), with the quadrature points as the evaluation points.
/// </para>
/// <para>
/// Everything that does not depend on the row is computed once: the trees' splits in breadth-first order (each
/// level depends only on the one above, so the work of a level overlaps), the combined zero fraction of each edge
/// and the previous edge on the same feature, r at o = 1 with the quadrature weights folded in (at o = 0
/// it is −1/(1 − t) whatever z). A row then costs, per edge, a few vector operations with no branch on the row's
/// way (q = z + t(o − z) serves both values of o) and no division unless the edge's feature repeats on the path.
/// The buffers are allocated once, so an explanation allocates nothing; not thread-safe: one explainer per thread.
/// </para>
/// </remarks>
public sealed class TreeShapExplainer
{
    private readonly TreeEnsemble _ensemble;

    /// <summary>The vectors that hold one value per quadrature point (padded with points of weight 0).</summary>
    private readonly int _chunks;

    private readonly Vector256<double>[] _points;

    /// <summary>The quadrature weights times r at o = 0: −w/(1 − t).</summary>
    private readonly Vector256<double>[] _coldFactors;

    /// <summary>Where each tree's positions (splits and leaves) start, and one past the last tree's.</summary>
    private readonly int[] _treeStarts;

    /// <summary>Where each tree's splits start in <see cref="_splits"/>, and one past the last tree's; none for a single leaf.</summary>
    private readonly int[] _splitStarts;

    private readonly Split[] _splits;

    /// <summary>The quadrature weights times r at o = 1 for the edge into each position: w (1 − z)/(z + t(1 − z)).</summary>
    private readonly Vector256<double>[] _hotFactors;

    // Scratch for one tree, indexed by position within the tree; the one fractions have one more slot, always 1,
    // read for the splits whose feature is new on the path.
    private readonly Vector256<double>[] _products;
    private readonly Vector256<double>[] _sums;
    private readonly byte[] _ones;
    private readonly byte[] _onHotPath;
    private readonly Vector256<double>[] _accumulators;

    public TreeShapExplainer(TreeEnsemble ensemble)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        _ensemble = ensemble;

        var (points, weights) = GaussLegendre(Math.Max(1, (ensemble.MaxDepth + 1) / 2));
        _chunks = (points.Length + Vector256<double>.Count - 1) / Vector256<double>.Count;
        var t = new double[_chunks * Vector256<double>.Count];
        var w = new double[t.Length];
        Array.Fill(t, 0.5);
        points.CopyTo(t, 0);
        weights.CopyTo(w, 0);
        _points = new Vector256<double>[_chunks];
        _coldFactors = new Vector256<double>[_chunks];
        for (var c = 0; c < _chunks; c++)
        {
            _points[c] = Vector256.Create(t.AsSpan(c * Vector256<double>.Count));
            _coldFactors[c] = -Vector256.Create(w.AsSpan(c * Vector256<double>.Count)) / (Vector256<double>.One - _points[c]);
        }

        var layout = new Layout(ensemble);
        _treeStarts = layout.TreeStarts;
        _splitStarts = layout.SplitStarts;
        _splits = [.. layout.Splits];
        _hotFactors = new Vector256<double>[layout.Zeros.Count * _chunks];
        for (var position = 0; position < layout.Zeros.Count; position++)
        {
            var z = layout.Zeros[position];
            for (var c = 0; c < _chunks; c++)
            {
                var wc = Vector256.Create(w.AsSpan(c * Vector256<double>.Count));
                _hotFactors[(position * _chunks) + c] = wc * (1 - z) / (Vector256.Create(z) + (_points[c] * (1 - z)));
            }
        }

        _products = new Vector256<double>[layout.LargestTree * _chunks];
        _sums = new Vector256<double>[layout.LargestTree * _chunks];
        _ones = new byte[layout.LargestTree + 1];
        _ones[layout.LargestTree] = 1;
        _onHotPath = new byte[layout.LargestTree];
        _accumulators = new Vector256<double>[ensemble.FeatureCount * _chunks];
    }

    public TreeEnsemble Ensemble => _ensemble;

    /// <summary>
    /// Writes one SHAP value per feature into the first <see cref="TreeEnsemble.FeatureCount"/> elements of
    /// <paramref name="contributions"/> and returns the base value (<see cref="TreeEnsemble.ExpectedValue"/>); the
    /// base value plus the contributions is the row's raw score.
    /// </summary>
    public double Explain(ReadOnlySpan<double> features, Span<double> contributions) => Explain(features, contributions, out _);

    /// <inheritdoc cref="Explain(ReadOnlySpan{double}, Span{double})"/>
    /// <param name="features">The row; NaN is a missing value.</param>
    /// <param name="contributions">At least <see cref="TreeEnsemble.FeatureCount"/> elements.</param>
    /// <param name="rawScore">The row's raw score, equal to what <see cref="TreeEnsemble.PredictRaw"/> returns.</param>
    public double Explain(ReadOnlySpan<double> features, Span<double> contributions, out double rawScore)
    {
        _ensemble.RequireFeatures(features);
        if (contributions.Length < _ensemble.FeatureCount)
        {
            throw new ArgumentException(
                $"The model has {_ensemble.FeatureCount} features; the contributions hold {contributions.Length}.", nameof(contributions));
        }

        Array.Clear(_accumulators);
        var raw = 0.0;
        for (var tree = 0; tree < _ensemble.TreeCount; tree++)
        {
            if (_splitStarts[tree + 1] == _splitStarts[tree])
            {
                // A tree that never split adds its value to the base and nothing to any feature.
                raw += _ensemble.LeafValues[~_ensemble.TreeRoots[tree]];
                continue;
            }

            raw += _chunks == 1 ? ExplainTree<OneVector>(features, tree) : ExplainTree<SeveralVectors>(features, tree);
        }

        for (var feature = 0; feature < _ensemble.FeatureCount; feature++)
        {
            var sum = Vector256<double>.Zero;
            for (var c = 0; c < _chunks; c++)
            {
                sum += _accumulators[(feature * _chunks) + c];
            }

            contributions[feature] = Vector256.Sum(sum);
        }

        rawScore = raw;
        return _ensemble.ExpectedValue;
    }

    /// <summary>
    /// Adds one tree's contributions to the accumulators and returns the value of the leaf the row reaches. The
    /// width, one vector or several, is a type argument so that the JIT compiles the common case of trees up to
    /// depth 8 without the loops over vectors.
    /// </summary>
    private double ExplainTree<TWidth>(ReadOnlySpan<double> features, int tree)
        where TWidth : struct
    {
        var chunks = typeof(TWidth) == typeof(OneVector) ? 1 : _chunks;
        var start = _treeStarts[tree];
        var firstSplit = _splitStarts[tree];
        var lastSplit = _splitStarts[tree + 1] - 1;

        // Indexes below come from the layout: positions within the tree (or the always-1 slot), features within the
        // model; the scratch is sized by the largest tree.
        ref var splits = ref MemoryMarshal.GetArrayDataReference(_splits);
        ref var hotFactors = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_hotFactors), start * chunks);
        ref var products = ref MemoryMarshal.GetArrayDataReference(_products);
        ref var sums = ref MemoryMarshal.GetArrayDataReference(_sums);
        ref var accumulators = ref MemoryMarshal.GetArrayDataReference(_accumulators);
        ref var ones = ref MemoryMarshal.GetArrayDataReference(_ones);
        ref var onHotPath = ref MemoryMarshal.GetArrayDataReference(_onHotPath);
        ref var points = ref MemoryMarshal.GetArrayDataReference(_points);
        ref var coldFactors = ref MemoryMarshal.GetArrayDataReference(_coldFactors);

        // Down, split by split: where the row goes, the one fraction of both edges, P on both sides, S = vP at leaves.
        for (var c = 0; c < chunks; c++)
        {
            Unsafe.Add(ref products, c) = Vector256<double>.One;
        }

        onHotPath = 1;
        var reached = 0.0;
        for (var i = firstSplit; i <= lastSplit; i++)
        {
            ref readonly var split = ref Unsafe.Add(ref splits, i);
            var left = Unsafe.BitCast<bool, byte>(_ensemble.GoesLeft(split.Node, features[split.Feature]));
            var right = (byte)(left ^ 1);
            var through = Unsafe.Add(ref ones, split.PreviousSlot);
            var leftOne = (byte)(left & through);
            var rightOne = (byte)(right & through);
            Unsafe.Add(ref ones, split.Left) = leftOne;
            Unsafe.Add(ref ones, split.Right) = rightOne;
            var onPath = Unsafe.Add(ref onHotPath, split.Position);
            Unsafe.Add(ref onHotPath, split.Left) = (byte)(onPath & left);
            Unsafe.Add(ref onHotPath, split.Right) = (byte)(onPath & right);
            if (onPath != 0 && split.LeafOnPath(left) is { } value)
            {
                reached = value;
            }

            var zeroLeft = Vector256.Create(split.ZeroLeft);
            var zeroRight = Vector256.Create(split.ZeroRight);
            var slopeLeft = Vector256.Create(leftOne - split.ZeroLeft);
            var slopeRight = Vector256.Create(rightOne - split.ZeroRight);
            var leafLeft = Vector256.Create(split.LeafLeft);
            var leafRight = Vector256.Create(split.LeafRight);
            for (var c = 0; c < chunks; c++)
            {
                var point = Unsafe.Add(ref points, c);
                var product = Unsafe.Add(ref products, (split.Position * chunks) + c);
                if (split.Previous >= 0)
                {
                    // The feature was split on higher up the path: its factor there gives way to the combined ones.
                    product /= Vector256.FusedMultiplyAdd(point, Vector256.Create(through - split.ZeroPrevious), Vector256.Create(split.ZeroPrevious));
                }

                var productLeft = product * Vector256.FusedMultiplyAdd(point, slopeLeft, zeroLeft);
                var productRight = product * Vector256.FusedMultiplyAdd(point, slopeRight, zeroRight);
                Unsafe.Add(ref products, (split.Left * chunks) + c) = productLeft;
                Unsafe.Add(ref products, (split.Right * chunks) + c) = productRight;
                Unsafe.Add(ref sums, (split.Left * chunks) + c) = productLeft * leafLeft;
                Unsafe.Add(ref sums, (split.Right * chunks) + c) = productRight * leafRight;
            }
        }

        // Up, split by split from the last: each edge credits the split's feature with the S below it times r (less
        // the r of the previous split on the feature, which counted the same leaves), and the split's S is the sum
        // of its children's.
        for (var i = lastSplit; i >= firstSplit; i--)
        {
            ref readonly var split = ref Unsafe.Add(ref splits, i);
            var leftHot = Vector256.Create(-(long)Unsafe.Add(ref ones, split.Left)).AsDouble();
            var rightHot = Vector256.Create(-(long)Unsafe.Add(ref ones, split.Right)).AsDouble();
            var earlierHot = Vector256.Create(-(long)Unsafe.Add(ref ones, split.PreviousSlot)).AsDouble();
            var accumulator = split.Feature * chunks;
            for (var c = 0; c < chunks; c++)
            {
                var cold = Unsafe.Add(ref coldFactors, c);
                var leftFactor = Vector256.ConditionalSelect(leftHot, Unsafe.Add(ref hotFactors, (split.Left * chunks) + c), cold);
                var rightFactor = Vector256.ConditionalSelect(rightHot, Unsafe.Add(ref hotFactors, (split.Right * chunks) + c), cold);
                if (split.Previous >= 0)
                {
                    var earlier = Vector256.ConditionalSelect(earlierHot, Unsafe.Add(ref hotFactors, (split.Previous * chunks) + c), cold);
                    leftFactor -= earlier;
                    rightFactor -= earlier;
                }

                var leftSum = Unsafe.Add(ref sums, (split.Left * chunks) + c);
                var rightSum = Unsafe.Add(ref sums, (split.Right * chunks) + c);
                ref var total = ref Unsafe.Add(ref accumulators, accumulator + c);
                total = Vector256.FusedMultiplyAdd(leftSum, leftFactor, Vector256.FusedMultiplyAdd(rightSum, rightFactor, total));
                Unsafe.Add(ref sums, (split.Position * chunks) + c) = leftSum + rightSum;
            }
        }

        return reached;
    }

    /// <summary>The Gauss–Legendre points and weights of order <paramref name="order"/>, moved from [−1, 1] to [0, 1].</summary>
    private static (double[] Points, double[] Weights) GaussLegendre(int order)
    {
        var points = new double[order];
        var weights = new double[order];
        for (var i = 0; i < order; i++)
        {
            // Newton's method on the Legendre polynomial of this order, from the usual estimate of its i-th root.
            var x = Math.Cos(Math.PI * (i + 0.75) / (order + 0.5));
            double derivative;
            for (var iteration = 0; ; iteration++)
            {
                var (value, previous) = (1.0, 0.0);
                for (var k = 1; k <= order; k++)
                {
                    var next = ((((2 * k) - 1) * x * value) - ((k - 1) * previous)) / k;
                    previous = value;
                    value = next;
                }

                derivative = order * ((x * value) - previous) / ((x * x) - 1);
                var step = value / derivative;
                x -= step;
                if (Math.Abs(step) < 1e-16 || iteration == 100)
                {
                    break;
                }
            }

            points[i] = (1 - x) / 2;
            weights[i] = 1 / ((1 - (x * x)) * derivative * derivative);
        }

        return (points, weights);
    }

    /// <summary>The width type argument of trees up to depth 8: one vector of quadrature points.</summary>
    private readonly struct OneVector;

    /// <summary>The width type argument of deeper trees.</summary>
    private readonly struct SeveralVectors;

    /// <summary>
    /// A split of a tree and the edges to its children. Positions are within the tree, in breadth-first order (the
    /// root at 0). A zero fraction is the combined one of the split's feature down to the child; a leaf value is 0
    /// for a child that splits again. The previous edge is the last one on the same feature above this split (-1 if
    /// none), and the slot of its one fraction is the always-1 slot if none.
    /// </summary>
    private readonly record struct Split(
        int Node,
        int Feature,
        int Position,
        int Left,
        int Right,
        int Previous,
        int PreviousSlot,
        bool LeftIsLeaf,
        bool RightIsLeaf,
        double ZeroLeft,
        double ZeroRight,
        double ZeroPrevious,
        double LeafLeft,
        double LeafRight)
    {
        /// <summary>The value of the leaf the row steps into from this split, when the child it goes to is one.</summary>
        public double? LeafOnPath(byte left) => left != 0 ? (LeftIsLeaf ? LeafLeft : null) : (RightIsLeaf ? LeafRight : null);
    }

    /// <summary>Lays out each tree's splits breadth first, with the combined zero fractions and previous edges.</summary>
    private sealed class Layout
    {
        public Layout(TreeEnsemble ensemble)
        {
            TreeStarts = new int[ensemble.TreeCount + 1];
            SplitStarts = new int[ensemble.TreeCount + 1];
            var nodes = new List<int>();
            var parents = new List<int>();
            for (var tree = 0; tree < ensemble.TreeCount; tree++)
            {
                var start = Zeros.Count;
                TreeStarts[tree] = start;
                SplitStarts[tree] = Splits.Count;

                // Positions in breadth-first order: a split's children get the next two free positions when it is
                // reached, so parents come before children and the previous edge on a feature before both.
                nodes.Clear();
                parents.Clear();
                nodes.Add(ensemble.TreeRoots[tree]);
                parents.Add(-1);
                Zeros.Add(1.0);
                for (var position = 0; position < nodes.Count; position++)
                {
                    var node = nodes[position];
                    if (node < 0)
                    {
                        continue;
                    }

                    var feature = ensemble.SplitFeatures[node];
                    var previous = -1;
                    for (var above = position; above > 0 && previous < 0; above = parents[above])
                    {
                        if (ensemble.SplitFeatures[nodes[parents[above]]] == feature)
                        {
                            previous = above;
                        }
                    }

                    var zeroPrevious = previous < 0 ? 1.0 : Zeros[start + previous];
                    var (left, right) = (ensemble.LeftChildren[node], ensemble.RightChildren[node]);
                    var (leftPosition, rightPosition) = (nodes.Count, nodes.Count + 1);
                    nodes.Add(left);
                    nodes.Add(right);
                    parents.Add(position);
                    parents.Add(position);
                    var cover = ensemble.NodeCovers[node];
                    var zeroLeft = ensemble.Cover(left) / cover * zeroPrevious;
                    var zeroRight = ensemble.Cover(right) / cover * zeroPrevious;
                    Zeros.Add(zeroLeft);
                    Zeros.Add(zeroRight);
                    Splits.Add(new Split(
                        node,
                        feature,
                        position,
                        leftPosition,
                        rightPosition,
                        previous,
                        previous < 0 ? -1 : previous,
                        left < 0,
                        right < 0,
                        zeroLeft,
                        zeroRight,
                        zeroPrevious,
                        left < 0 ? ensemble.LeafValues[~left] : 0.0,
                        right < 0 ? ensemble.LeafValues[~right] : 0.0));
                }

                LargestTree = Math.Max(LargestTree, nodes.Count);
            }

            TreeStarts[ensemble.TreeCount] = Zeros.Count;
            SplitStarts[ensemble.TreeCount] = Splits.Count;
            for (var i = 0; i < Splits.Count; i++)
            {
                if (Splits[i].Previous < 0)
                {
                    Splits[i] = Splits[i] with { PreviousSlot = LargestTree };
                }
            }
        }

        public int[] TreeStarts { get; }

        public int[] SplitStarts { get; }

        public List<Split> Splits { get; } = [];

        /// <summary>The combined zero fraction of the edge into each position (1 at a root).</summary>
        public List<double> Zeros { get; } = [];

        public int LargestTree { get; private set; }
    }
}
