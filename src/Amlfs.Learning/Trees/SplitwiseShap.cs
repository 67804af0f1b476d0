using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Amlfs.Learning.Trees;

/// <summary>
/// TreeSHAP split by split, for trees of any shape: the splits of each tree in breadth-first order (each level
/// depends only on the one above, so the work of a level overlaps), the quadrature points in the lanes of a vector.
/// Everything that does not depend on the row is computed once: each edge's combined zero fraction, the previous
/// edge on the same feature and r at o = 1. A row then costs, per split, a few vector operations with no branch on
/// the row's way (q = z + t(o − z) serves both values of o), and a division only where the split's feature repeats
/// on the path, one for both sides. Buffers are allocated once.
/// </summary>
internal sealed class SplitwiseShap : IShapAlgorithm
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

    public SplitwiseShap(TreeEnsemble ensemble, ShapQuadrature quadrature)
    {
        _ensemble = ensemble;
        _chunks = (quadrature.Count + Vector256<double>.Count - 1) / Vector256<double>.Count;
        var lanes = _chunks * Vector256<double>.Count;

        // The lanes past the points hold points of weight 0: whatever their products, they add nothing.
        var t = new double[lanes];
        var cold = new double[lanes];
        Array.Fill(t, 0.5);
        quadrature.Points.CopyTo(t, 0);
        for (var point = 0; point < quadrature.Count; point++)
        {
            cold[point] = quadrature.ColdFactor(point);
        }

        _points = new Vector256<double>[_chunks];
        _coldFactors = new Vector256<double>[_chunks];
        for (var c = 0; c < _chunks; c++)
        {
            _points[c] = Vector256.Create(t.AsSpan(c * Vector256<double>.Count));
            _coldFactors[c] = Vector256.Create(cold.AsSpan(c * Vector256<double>.Count));
        }

        var layout = new Layout(ensemble);
        _treeStarts = layout.TreeStarts;
        _splitStarts = layout.SplitStarts;
        _splits = [.. layout.Splits];
        _hotFactors = new Vector256<double>[layout.Zeros.Count * _chunks];
        var hot = new double[lanes];
        for (var position = 0; position < layout.Zeros.Count; position++)
        {
            for (var point = 0; point < quadrature.Count; point++)
            {
                hot[point] = quadrature.HotFactor(layout.Zeros[position], point);
            }

            for (var c = 0; c < _chunks; c++)
            {
                _hotFactors[(position * _chunks) + c] = Vector256.Create(hot.AsSpan(c * Vector256<double>.Count));
            }
        }

        _products = new Vector256<double>[layout.LargestTree * _chunks];
        _sums = new Vector256<double>[layout.LargestTree * _chunks];
        _ones = new byte[layout.LargestTree + 1];
        _ones[layout.LargestTree] = 1;
        _onHotPath = new byte[layout.LargestTree];
        _accumulators = new Vector256<double>[ensemble.FeatureCount * _chunks];
    }

    public double Explain(ReadOnlySpan<double> features, Span<double> contributions)
    {
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

        for (var feature = 0; feature < contributions.Length; feature++)
        {
            var sum = Vector256<double>.Zero;
            for (var c = 0; c < _chunks; c++)
            {
                sum += _accumulators[(feature * _chunks) + c];
            }

            contributions[feature] = Vector256.Sum(sum);
        }

        return raw;
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
