using Amlfs.Learning.Trees;

namespace Amlfs.Learning.Tests.Trees;

/// <summary>
/// The reference for <see cref="TreeShapExplainer"/>: exact path-dependent TreeSHAP as Lundberg, Erion and Lee (2018)
/// give it in Algorithm 2, the EXTEND and UNWIND of a path of unique features with their zero and one fractions and
/// the weights of each subset size, over the same trees and the same decision rule. It is the algorithm LightGBM
/// itself runs, and a different computation from the explainer's, so agreement between the two checks both.
/// </summary>
internal sealed class PathTreeShap
{
    private readonly TreeEnsemble _ensemble;
    private readonly int[] _roots;
    private readonly int[] _splitFeatures;
    private readonly double[] _leafValues;

    /// <summary>The share of each internal node's cover that went left, and right: the "zero fractions" of a split.</summary>
    private readonly double[] _leftShares;

    private readonly double[] _rightShares;

    // The paths of the recursion, one after another: the path of a node at unique depth d starts where its parent's
    // d elements end, so (D + 1)(D + 2) / 2 elements hold every path of a tree of depth D at once. Element 0 of each
    // path is the root's placeholder (feature -1).
    private readonly int[] _pathFeatures;
    private readonly double[] _pathZeros;
    private readonly double[] _pathOnes;
    private readonly double[] _pathWeights;

    public PathTreeShap(TreeEnsemble ensemble)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        _ensemble = ensemble;
        _roots = ensemble.TreeRoots;
        _splitFeatures = ensemble.SplitFeatures;
        _leafValues = ensemble.LeafValues;
        var nodes = ensemble.SplitFeatures.Length;
        _leftShares = new double[nodes];
        _rightShares = new double[nodes];
        for (var node = 0; node < nodes; node++)
        {
            var cover = ensemble.NodeCovers[node];
            _leftShares[node] = ensemble.Cover(ensemble.LeftChildren[node]) / cover;
            _rightShares[node] = ensemble.Cover(ensemble.RightChildren[node]) / cover;
        }

        var length = (ensemble.MaxDepth + 1) * (ensemble.MaxDepth + 2) / 2;
        _pathFeatures = new int[length];
        _pathZeros = new double[length];
        _pathOnes = new double[length];
        _pathWeights = new double[length];
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
    /// <param name="rawScore">The row's raw score, as <see cref="TreeEnsemble.PredictRaw(ReadOnlySpan{double})"/> computes it.</param>
    public double Explain(ReadOnlySpan<double> features, Span<double> contributions, out double rawScore)
    {
        _ensemble.RequireFeatures(features);
        if (contributions.Length < _ensemble.FeatureCount)
        {
            throw new ArgumentException(
                $"The model has {_ensemble.FeatureCount} features; the contributions hold {contributions.Length}.", nameof(contributions));
        }

        var phi = contributions[.._ensemble.FeatureCount];
        phi.Clear();
        for (var tree = 0; tree < _roots.Length; tree++)
        {
            // A single-leaf tree adds its value to the base and nothing to any feature.
            if (_roots[tree] >= 0)
            {
                Recurse(features, phi, _roots[tree], 0, 0, 1.0, 1.0, -1);
            }
        }

        rawScore = _ensemble.PredictRaw(features);
        return _ensemble.ExpectedValue;
    }

    /// <summary>
    /// Algorithm 2's RECURSE: extends the parent's path (its first <paramref name="depth"/> elements, from
    /// <paramref name="parentStart"/>) with the split that led here, then either credits a leaf's value to the
    /// features on the path or descends both ways, undoing an earlier split on the same feature first so each feature
    /// appears on a path once.
    /// </summary>
    private void Recurse(
        ReadOnlySpan<double> features, Span<double> phi, int node, int depth, int parentStart, double zero, double one, int feature)
    {
        var start = parentStart + depth;
        if (depth > 0)
        {
            Array.Copy(_pathFeatures, parentStart, _pathFeatures, start, depth);
            Array.Copy(_pathZeros, parentStart, _pathZeros, start, depth);
            Array.Copy(_pathOnes, parentStart, _pathOnes, start, depth);
            Array.Copy(_pathWeights, parentStart, _pathWeights, start, depth);
        }

        Extend(start, depth, zero, one, feature);
        if (node < 0)
        {
            var value = _leafValues[~node];
            for (var i = 1; i <= depth; i++)
            {
                var weight = UnwoundSum(start, depth, i);
                phi[_pathFeatures[start + i]] += weight * (_pathOnes[start + i] - _pathZeros[start + i]) * value;
            }

            return;
        }

        var split = _splitFeatures[node];
        var hot = _ensemble.Next(node, features[split]);
        var hotIsLeft = hot == _ensemble.LeftChildren[node];
        var cold = hotIsLeft ? _ensemble.RightChildren[node] : _ensemble.LeftChildren[node];
        var hotShare = hotIsLeft ? _leftShares[node] : _rightShares[node];
        var coldShare = hotIsLeft ? _rightShares[node] : _leftShares[node];

        var incomingZero = 1.0;
        var incomingOne = 1.0;
        for (var i = 1; i <= depth; i++)
        {
            if (_pathFeatures[start + i] == split)
            {
                incomingZero = _pathZeros[start + i];
                incomingOne = _pathOnes[start + i];
                Unwind(start, depth, i);
                depth--;
                break;
            }
        }

        Recurse(features, phi, hot, depth + 1, start, hotShare * incomingZero, incomingOne, split);
        Recurse(features, phi, cold, depth + 1, start, coldShare * incomingZero, 0.0, split);
    }

    /// <summary>
    /// EXTEND: appends a feature with the fraction of zero paths (cover share) and one paths (the row goes this way)
    /// that flow through it, and updates the weights of every subset size on the path.
    /// </summary>
    private void Extend(int start, int depth, double zero, double one, int feature)
    {
        var weights = _pathWeights;
        _pathFeatures[start + depth] = feature;
        _pathZeros[start + depth] = zero;
        _pathOnes[start + depth] = one;
        weights[start + depth] = depth == 0 ? 1.0 : 0.0;
        var scale = 1.0 / (depth + 1);
        for (var i = depth - 1; i >= 0; i--)
        {
            weights[start + i + 1] += one * weights[start + i] * (i + 1) * scale;
            weights[start + i] = zero * weights[start + i] * (depth - i) * scale;
        }
    }

    /// <summary>UNWIND: removes element <paramref name="index"/> from a path of <paramref name="depth"/> + 1 elements, undoing its EXTEND.</summary>
    private void Unwind(int start, int depth, int index)
    {
        var weights = _pathWeights;
        var one = _pathOnes[start + index];
        var zero = _pathZeros[start + index];
        var next = weights[start + depth];
        for (var j = depth - 1; j >= 0; j--)
        {
            if (one != 0)
            {
                var previous = weights[start + j];
                weights[start + j] = next * (depth + 1) / ((j + 1) * one);
                next = previous - weights[start + j] * zero * (depth - j) / (depth + 1);
            }
            else
            {
                weights[start + j] = weights[start + j] * (depth + 1) / (zero * (depth - j));
            }
        }

        for (var j = index; j < depth; j++)
        {
            _pathFeatures[start + j] = _pathFeatures[start + j + 1];
            _pathZeros[start + j] = _pathZeros[start + j + 1];
            _pathOnes[start + j] = _pathOnes[start + j + 1];
        }
    }

    /// <summary>
    /// The total weight of the path with element <paramref name="index"/> unwound, computed without changing the
    /// path: the leaf's credit to that feature is this times (one fraction − zero fraction) times the leaf value.
    /// </summary>
    private double UnwoundSum(int start, int depth, int index)
    {
        var weights = _pathWeights;
        var one = _pathOnes[start + index];
        var zero = _pathZeros[start + index];
        var next = weights[start + depth];
        var total = 0.0;
        for (var j = depth - 1; j >= 0; j--)
        {
            if (one != 0)
            {
                var weight = next * (depth + 1) / ((j + 1) * one);
                total += weight;
                next = weights[start + j] - weight * zero * (depth - j) / (depth + 1);
            }
            else
            {
                total += weights[start + j] * (depth + 1) / (zero * (depth - j));
            }
        }

        return total;
    }
}
