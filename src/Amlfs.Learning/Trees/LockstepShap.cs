using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Amlfs.Learning.Trees;

/// <summary>
/// TreeSHAP with four trees in lockstep, for shallow ensembles. Every tree is completed to the full binary tree of
/// the ensemble's depth: a leaf above the bottom becomes a chain of padding splits that send every row left with all
/// of the cover (zero fraction 1, factor q = 1: P passes unchanged), down to a copy of the leaf; their right sides
/// are empty (zero fraction 0: P is 0 there, and so is everything they credit). All trees then share one shape, a
/// heap where split k has children 2k + 1 and 2k + 2 and the leaves come last, and four trees fill the four lanes of
/// a vector, one vector per quadrature point; padding splits credit a slot past the features. Everything that does
/// not depend on the row is laid out once, group by group; buffers are allocated once.
/// </summary>
internal sealed class LockstepShap : IShapAlgorithm
{
    private const int Lanes = 4;

    private static readonly Vector256<double> LaneOne = Vector256.Create(1.0);
    private static readonly Vector256<double> ZeroThreshold = Vector256.Create(TreeEnsemble.ZeroThreshold);

    private readonly int _treeCount;
    private readonly int _groups;
    private readonly int _splitCount;
    private readonly int _positionCount;
    private readonly int _pointCount;
    private readonly Vector256<double>[] _points;
    private readonly Vector256<double>[] _coldFactors;

    // Per group and split, one lane per tree.
    private readonly double[] _thresholds;
    private readonly long[] _nanLeft;
    private readonly bool[] _anyZeroMissing;
    private readonly long[] _zeroMissing;
    private readonly long[] _defaultLeft;
    private readonly int[] _features;
    private readonly int[] _slots;
    private readonly bool[] _anyPrevious;
    private readonly int[] _previous;
    private readonly double[] _zeroPrevious;
    private readonly double[] _hotPrevious;

    // Per group and position (the edge into it), and per group and leaf.
    private readonly double[] _zeros;
    private readonly double[] _hotFactors;
    private readonly double[] _leafValues;

    // Scratch for one group: per position (times the points for P and S), and per split.
    private readonly Vector256<double>[] _products;
    private readonly Vector256<double>[] _sums;
    private readonly long[] _ones;
    private readonly Vector256<double>[] _onPath;
    private readonly Vector256<double>[] _through;

    /// <summary>Each lane's credits per feature, and the padding's slot past them.</summary>
    private readonly double[] _slotTotals;

    public LockstepShap(TreeEnsemble ensemble, ShapQuadrature quadrature)
    {
        var depth = Math.Max(1, ensemble.MaxDepth);
        _treeCount = ensemble.TreeCount;
        _groups = (ensemble.TreeCount + Lanes - 1) / Lanes;
        _splitCount = (1 << depth) - 1;
        _positionCount = (2 << depth) - 1;
        _pointCount = quadrature.Count;
        _points = new Vector256<double>[_pointCount];
        _coldFactors = new Vector256<double>[_pointCount];
        for (var point = 0; point < _pointCount; point++)
        {
            _points[point] = Vector256.Create(quadrature.Points[point]);
            _coldFactors[point] = Vector256.Create(quadrature.ColdFactor(point));
        }

        var splits = _groups * _splitCount * Lanes;
        _thresholds = new double[splits];
        _nanLeft = new long[splits];
        _anyZeroMissing = new bool[_groups * _splitCount];
        _zeroMissing = new long[splits];
        _defaultLeft = new long[splits];
        _features = new int[splits];
        _slots = new int[splits];
        _anyPrevious = new bool[_groups * _splitCount];
        _previous = new int[splits];
        _zeroPrevious = new double[splits];
        _hotPrevious = new double[splits * _pointCount];
        _zeros = new double[_groups * _positionCount * Lanes];
        _hotFactors = new double[_groups * _positionCount * _pointCount * Lanes];
        _leafValues = new double[_groups * (_splitCount + 1) * Lanes];
        new Builder(this, ensemble, quadrature).Build();

        _products = new Vector256<double>[_positionCount * _pointCount];
        _sums = new Vector256<double>[_positionCount * _pointCount];
        _ones = new long[_positionCount * Lanes];
        _onPath = new Vector256<double>[_positionCount];
        _through = new Vector256<double>[_splitCount];
        _slotTotals = new double[(ensemble.FeatureCount + 1) * Lanes];
    }

    /// <summary>
    /// True for ensembles of depth 8 at most whose completed trees have at most four times the leaves they have:
    /// deeper or sparser trees would spend most of the work on padding.
    /// </summary>
    public static bool Suits(TreeEnsemble ensemble)
    {
        if (ensemble.MaxDepth > 8 || ensemble.TreeCount == 0)
        {
            return false;
        }

        var padded = (long)((ensemble.TreeCount + Lanes - 1) / Lanes) * Lanes << Math.Max(1, ensemble.MaxDepth);
        return padded <= 4L * ensemble.LeafValues.Length;
    }

    public double Explain(ReadOnlySpan<double> features, Span<double> contributions)
    {
        Array.Clear(_slotTotals);
        var raw = 0.0;
        for (var group = 0; group < _groups; group++)
        {
            var reached = _pointCount switch
            {
                1 => ExplainGroup<OnePoint>(features, group),
                2 => ExplainGroup<TwoPoints>(features, group),
                3 => ExplainGroup<ThreePoints>(features, group),
                _ => ExplainGroup<FourPoints>(features, group),
            };
            for (var lane = 0; lane < Lanes && (group * Lanes) + lane < _treeCount; lane++)
            {
                raw += reached.GetElement(lane);
            }
        }

        for (var feature = 0; feature < contributions.Length; feature++)
        {
            contributions[feature] = Vector256.Sum(Vector256.LoadUnsafe(ref _slotTotals[feature * Lanes]));
        }

        return raw;
    }

    /// <summary>
    /// One group of trees, with the number of quadrature points a type argument so that the JIT compiles the loops
    /// over them with a constant count.
    /// </summary>
    private Vector256<double> ExplainGroup<TPoints>(ReadOnlySpan<double> features, int group)
        where TPoints : struct, IPoints
    {
        var reached = Descend<TPoints>(features, group);
        Ascend<TPoints>(group);
        return reached;
    }

    /// <summary>
    /// Down the heap: where each tree's row goes at each split, the one fraction of both edges, and P on both sides;
    /// then S = vP at the leaves. Returns the value of the leaf each tree's row reaches.
    /// </summary>
    private Vector256<double> Descend<TPoints>(ReadOnlySpan<double> features, int group)
        where TPoints : struct, IPoints
    {
        // Every index below comes from the layout: features below the row's length (checked by the explainer),
        // previous positions above their split, and the scratch sized by the heap.
        ref var row = ref MemoryMarshal.GetReference(features);
        ref var products = ref MemoryMarshal.GetArrayDataReference(_products);
        ref var ones = ref MemoryMarshal.GetArrayDataReference(_ones);
        ref var onPath = ref MemoryMarshal.GetArrayDataReference(_onPath);
        var points = TPoints.Count;
        var splitCount = _splitCount;
        var firstSplit = group * splitCount;
        var firstPosition = group * _positionCount;
        ref var quadraturePoints = ref MemoryMarshal.GetArrayDataReference(_points);
        ref var featureIndexes = ref MemoryMarshal.GetArrayDataReference(_features);
        ref var thresholds = ref MemoryMarshal.GetArrayDataReference(_thresholds);
        ref var nanLeft = ref MemoryMarshal.GetArrayDataReference(_nanLeft);
        ref var anyZeroMissing = ref MemoryMarshal.GetArrayDataReference(_anyZeroMissing);
        ref var anyPrevious = ref MemoryMarshal.GetArrayDataReference(_anyPrevious);
        ref var previousPositions = ref MemoryMarshal.GetArrayDataReference(_previous);
        ref var zeros = ref MemoryMarshal.GetArrayDataReference(_zeros);
        ref var zerosPrevious = ref MemoryMarshal.GetArrayDataReference(_zeroPrevious);
        ref var throughs = ref MemoryMarshal.GetArrayDataReference(_through);

        for (var point = 0; point < points; point++)
        {
            Unsafe.Add(ref products, point) = Vector256<double>.One;
        }

        onPath = Vector256<double>.AllBitsSet;
        for (var k = 0; k < splitCount; k++)
        {
            var split = firstSplit + k;
            var lane = split * Lanes;
            var value = Vector256.Create(
                Unsafe.Add(ref row, Unsafe.Add(ref featureIndexes, lane)),
                Unsafe.Add(ref row, Unsafe.Add(ref featureIndexes, lane + 1)),
                Unsafe.Add(ref row, Unsafe.Add(ref featureIndexes, lane + 2)),
                Unsafe.Add(ref row, Unsafe.Add(ref featureIndexes, lane + 3)));

            // TreeEnsemble.GoesLeft, four splits at a time.
            var nan = ~Vector256.Equals(value, value);
            var left = Vector256.ConditionalSelect(
                nan, Vector256.LoadUnsafe(ref nanLeft, (nuint)lane).AsDouble(), Vector256.LessThanOrEqual(value, Vector256.LoadUnsafe(ref thresholds, (nuint)lane)));
            if (Unsafe.Add(ref anyZeroMissing, split))
            {
                var zero = (Vector256.LessThanOrEqual(Vector256.Abs(value), ZeroThreshold) | nan) & Load(_zeroMissing, lane);
                left = Vector256.ConditionalSelect(zero, Load(_defaultLeft, lane), left);
            }

            var through = Vector256<double>.AllBitsSet;
            var leftPosition = (2 * k) + 1;
            var rightPosition = leftPosition + 1;
            var previous = Unsafe.Add(ref anyPrevious, split);
            if (previous)
            {
                through = Vector256.Create(
                    PreviousOne(ref ones, Unsafe.Add(ref previousPositions, lane), 0),
                    PreviousOne(ref ones, Unsafe.Add(ref previousPositions, lane + 1), 1),
                    PreviousOne(ref ones, Unsafe.Add(ref previousPositions, lane + 2), 2),
                    PreviousOne(ref ones, Unsafe.Add(ref previousPositions, lane + 3), 3)).AsDouble();
            }

            Unsafe.Add(ref throughs, k) = through;
            var leftOne = left & through;
            var rightOne = Vector256.AndNot(through, left);
            leftOne.AsInt64().StoreUnsafe(ref ones, (nuint)(leftPosition * Lanes));
            rightOne.AsInt64().StoreUnsafe(ref ones, (nuint)(rightPosition * Lanes));
            var pathAbove = Unsafe.Add(ref onPath, k);
            Unsafe.Add(ref onPath, leftPosition) = pathAbove & left;
            Unsafe.Add(ref onPath, rightPosition) = Vector256.AndNot(pathAbove, left);

            var zeroLeft = Vector256.LoadUnsafe(ref zeros, (nuint)((firstPosition + leftPosition) * Lanes));
            var zeroRight = Vector256.LoadUnsafe(ref zeros, (nuint)((firstPosition + rightPosition) * Lanes));
            var slopeLeft = (leftOne & LaneOne) - zeroLeft;
            var slopeRight = (rightOne & LaneOne) - zeroRight;
            var zeroPrevious = Vector256.LoadUnsafe(ref zerosPrevious, (nuint)lane);
            var slopePrevious = (through & LaneOne) - zeroPrevious;
            for (var point = 0; point < points; point++)
            {
                var t = Unsafe.Add(ref quadraturePoints, point);
                var product = Unsafe.Add(ref products, (k * points) + point);
                if (previous)
                {
                    // The feature was split on higher up the path: its factor there gives way to the combined ones
                    // (lanes without a previous split divide by 1).
                    product /= Vector256.FusedMultiplyAdd(t, slopePrevious, zeroPrevious);
                }

                Unsafe.Add(ref products, (leftPosition * points) + point) = product * Vector256.FusedMultiplyAdd(t, slopeLeft, zeroLeft);
                Unsafe.Add(ref products, (rightPosition * points) + point) = product * Vector256.FusedMultiplyAdd(t, slopeRight, zeroRight);
            }
        }

        var reached = Vector256<double>.Zero;
        ref var sums = ref MemoryMarshal.GetArrayDataReference(_sums);
        ref var leafValues = ref MemoryMarshal.GetArrayDataReference(_leafValues);
        for (var leaf = 0; leaf <= splitCount; leaf++)
        {
            var position = splitCount + leaf;
            var value = Vector256.LoadUnsafe(ref leafValues, (nuint)(((group * (splitCount + 1)) + leaf) * Lanes));
            reached += Vector256.ConditionalSelect(Unsafe.Add(ref onPath, position), value, Vector256<double>.Zero);
            for (var point = 0; point < points; point++)
            {
                var index = (position * points) + point;
                Unsafe.Add(ref sums, index) = Unsafe.Add(ref products, index) * value;
            }
        }

        return reached;
    }

    /// <summary>
    /// Up the heap: each split credits its feature, lane by lane, with the S of each side times r (less the r of the
    /// previous split on the feature, which counted the same leaves), and its S is the sum of its sides'.
    /// </summary>
    private void Ascend<TPoints>(int group)
        where TPoints : struct, IPoints
    {
        ref var sums = ref MemoryMarshal.GetArrayDataReference(_sums);
        ref var ones = ref MemoryMarshal.GetArrayDataReference(_ones);
        ref var totals = ref MemoryMarshal.GetArrayDataReference(_slotTotals);
        ref var hotFactors = ref MemoryMarshal.GetArrayDataReference(_hotFactors);
        ref var hotPrevious = ref MemoryMarshal.GetArrayDataReference(_hotPrevious);
        ref var coldFactors = ref MemoryMarshal.GetArrayDataReference(_coldFactors);
        ref var anyPrevious = ref MemoryMarshal.GetArrayDataReference(_anyPrevious);
        ref var throughs = ref MemoryMarshal.GetArrayDataReference(_through);
        ref var slots = ref MemoryMarshal.GetArrayDataReference(_slots);
        var points = TPoints.Count;
        var firstSplit = group * _splitCount;
        var firstPosition = group * _positionCount;
        for (var k = _splitCount - 1; k >= 0; k--)
        {
            var split = firstSplit + k;
            var leftPosition = (2 * k) + 1;
            var rightPosition = leftPosition + 1;
            var leftOne = Vector256.LoadUnsafe(ref ones, (nuint)(leftPosition * Lanes)).AsDouble();
            var rightOne = Vector256.LoadUnsafe(ref ones, (nuint)(rightPosition * Lanes)).AsDouble();
            ref var leftHot = ref Unsafe.Add(ref hotFactors, (firstPosition + leftPosition) * points * Lanes);
            ref var rightHot = ref Unsafe.Add(ref hotFactors, (firstPosition + rightPosition) * points * Lanes);
            ref var earlierHot = ref Unsafe.Add(ref hotPrevious, split * points * Lanes);
            var previous = Unsafe.Add(ref anyPrevious, split);
            var through = Unsafe.Add(ref throughs, k);
            var credit = Vector256<double>.Zero;
            for (var point = 0; point < points; point++)
            {
                var cold = Unsafe.Add(ref coldFactors, point);
                var leftFactor = Vector256.ConditionalSelect(leftOne, Vector256.LoadUnsafe(ref leftHot, (nuint)(point * Lanes)), cold);
                var rightFactor = Vector256.ConditionalSelect(rightOne, Vector256.LoadUnsafe(ref rightHot, (nuint)(point * Lanes)), cold);
                if (previous)
                {
                    // Lanes without a previous split pass through with a hot factor of 0.
                    var earlier = Vector256.ConditionalSelect(through, Vector256.LoadUnsafe(ref earlierHot, (nuint)(point * Lanes)), cold);
                    leftFactor -= earlier;
                    rightFactor -= earlier;
                }

                var leftSum = Unsafe.Add(ref sums, (leftPosition * points) + point);
                var rightSum = Unsafe.Add(ref sums, (rightPosition * points) + point);
                credit = Vector256.FusedMultiplyAdd(leftSum, leftFactor, Vector256.FusedMultiplyAdd(rightSum, rightFactor, credit));
                Unsafe.Add(ref sums, (k * points) + point) = leftSum + rightSum;
            }

            var lane = split * Lanes;
            Unsafe.Add(ref totals, Unsafe.Add(ref slots, lane) * Lanes) += credit.GetElement(0);
            Unsafe.Add(ref totals, (Unsafe.Add(ref slots, lane + 1) * Lanes) + 1) += credit.GetElement(1);
            Unsafe.Add(ref totals, (Unsafe.Add(ref slots, lane + 2) * Lanes) + 2) += credit.GetElement(2);
            Unsafe.Add(ref totals, (Unsafe.Add(ref slots, lane + 3) * Lanes) + 3) += credit.GetElement(3);
        }
    }

    private static Vector256<double> Load(long[] masks, int lane) => Vector256.LoadUnsafe(ref masks[lane]).AsDouble();

    /// <summary>A number of quadrature points as a type, for the JIT to compile loops over them with a constant count.</summary>
    private interface IPoints
    {
        static abstract int Count { get; }
    }

    private readonly struct OnePoint : IPoints
    {
        public static int Count => 1;
    }

    private readonly struct TwoPoints : IPoints
    {
        public static int Count => 2;
    }

    private readonly struct ThreePoints : IPoints
    {
        public static int Count => 3;
    }

    private readonly struct FourPoints : IPoints
    {
        public static int Count => 4;
    }

    private static long PreviousOne(ref long ones, int previous, int lane) =>
        previous < 0 ? -1L : Unsafe.Add(ref ones, (previous * Lanes) + lane);

    /// <summary>Completes each tree to the full heap and writes it into its group's lane.</summary>
    private sealed class Builder(LockstepShap target, TreeEnsemble ensemble, ShapQuadrature quadrature)
    {
        private readonly int[] _lastEdge = new int[ensemble.FeatureCount];
        private int _group;
        private int _lane;

        public void Build()
        {
            for (var tree = 0; tree < target._groups * Lanes; tree++)
            {
                _group = tree / Lanes;
                _lane = tree % Lanes;
                Array.Fill(_lastEdge, -1);
                if (tree >= ensemble.TreeCount)
                {
                    Place(0, node: 0, empty: true);
                }
                else
                {
                    Place(0, ensemble.TreeRoots[tree], empty: false);
                }
            }
        }

        /// <summary>Places a node (or a leaf, or nothing) at a heap position of the current tree.</summary>
        private void Place(int position, int node, bool empty)
        {
            if (position >= target._splitCount)
            {
                var leaf = (((_group * (target._splitCount + 1)) + position - target._splitCount) * Lanes) + _lane;
                target._leafValues[leaf] = empty ? 0.0 : ensemble.LeafValues[~node];
                return;
            }

            var split = (_group * target._splitCount) + position;
            var lane = (split * Lanes) + _lane;
            var (left, right) = ((2 * position) + 1, (2 * position) + 2);
            if (empty || node < 0)
            {
                // Padding: every row goes left, with all of the cover; nothing is credited to a feature.
                target._thresholds[lane] = double.PositiveInfinity;
                target._nanLeft[lane] = -1;
                target._slots[lane] = ensemble.FeatureCount;
                target._previous[lane] = -1;
                target._zeroPrevious[lane] = 1.0;
                SetEdge(left, 1.0);
                SetEdge(right, 0.0);
                Place(left, node, empty);
                Place(right, node, empty: true);
                return;
            }

            var feature = ensemble.SplitFeatures[node];
            var decision = ensemble.DecisionTypes[node];
            var threshold = ensemble.Thresholds[node];
            target._thresholds[lane] = threshold;
            target._nanLeft[lane] = TreeEnsemble.NaNGoesLeft(decision, threshold) ? -1 : 0;
            target._zeroMissing[lane] = TreeEnsemble.ZeroIsMissing(decision) ? -1 : 0;
            target._defaultLeft[lane] = TreeEnsemble.DefaultLeft(decision) ? -1 : 0;
            target._anyZeroMissing[split] |= TreeEnsemble.ZeroIsMissing(decision);
            target._features[lane] = feature;
            target._slots[lane] = feature;

            var previous = _lastEdge[feature];
            var zeroPrevious = previous < 0 ? 1.0 : target._zeros[Edge(previous)];
            target._anyPrevious[split] |= previous >= 0;
            target._previous[lane] = previous;
            target._zeroPrevious[lane] = zeroPrevious;
            for (var point = 0; point < quadrature.Count; point++)
            {
                target._hotPrevious[(((split * quadrature.Count) + point) * Lanes) + _lane] =
                    previous < 0 ? 0.0 : target._hotFactors[HotFactor(previous, point)];
            }

            var cover = ensemble.NodeCovers[node];
            var (leftNode, rightNode) = (ensemble.LeftChildren[node], ensemble.RightChildren[node]);
            SetEdge(left, ensemble.Cover(leftNode) / cover * zeroPrevious);
            SetEdge(right, ensemble.Cover(rightNode) / cover * zeroPrevious);
            _lastEdge[feature] = left;
            Place(left, leftNode, empty: false);
            _lastEdge[feature] = right;
            Place(right, rightNode, empty: false);
            _lastEdge[feature] = previous;
        }

        private void SetEdge(int position, double zero)
        {
            target._zeros[Edge(position)] = zero;
            for (var point = 0; point < quadrature.Count; point++)
            {
                target._hotFactors[HotFactor(position, point)] = quadrature.HotFactor(zero, point);
            }
        }

        private int Edge(int position) => (((_group * target._positionCount) + position) * Lanes) + _lane;

        private int HotFactor(int position, int point) =>
            (((((_group * target._positionCount) + position) * quadrature.Count) + point) * Lanes) + _lane;
    }
}
