using System.Runtime.CompilerServices;

namespace Amlfs.Learning.Trees;

/// <summary>
/// A LightGBM binary model read from its own model text, held as flat arrays for fast evaluation: the internal nodes
/// of every tree one after another (split feature, threshold, decision type, children, cover), then every tree's
/// leaves (value, cover). A child index is a global node index when non-negative and the bitwise complement of a
/// global leaf index when negative, so a walk never needs a tree's offsets; a tree's root is a leaf (its only one)
/// when the tree never split. Immutable and thread-safe.
/// </summary>
public sealed class TreeEnsemble
{
    /// <summary>Bit 1 of LightGBM's <c>decision_type</c>: a missing value goes to the left child.</summary>
    internal const byte DefaultLeftMask = 2;

    internal const int MissingNone = 0;
    internal const int MissingZero = 1;
    internal const int MissingNaN = 2;

    /// <summary>LightGBM's <c>kZeroThreshold</c>, a float constant: |x| at most this is zero to a split.</summary>
    internal const double ZeroThreshold = 1e-35f;

    internal TreeEnsemble(
        IReadOnlyList<string> featureNames,
        string objective,
        int[] treeRoots,
        int[] treeLeafOffsets,
        int[] splitFeatures,
        double[] thresholds,
        byte[] decisionTypes,
        int[] leftChildren,
        int[] rightChildren,
        double[] nodeCovers,
        double[] leafValues,
        double[] leafCovers,
        int maxDepth)
    {
        FeatureNames = featureNames;
        Objective = objective;
        TreeRoots = treeRoots;
        TreeLeafOffsets = treeLeafOffsets;
        SplitFeatures = splitFeatures;
        Thresholds = thresholds;
        DecisionTypes = decisionTypes;
        LeftChildren = leftChildren;
        RightChildren = rightChildren;
        NodeCovers = nodeCovers;
        LeafValues = leafValues;
        LeafCovers = leafCovers;
        MaxDepth = maxDepth;
        ExpectedValue = ComputeExpectedValue();
    }

    /// <summary>The feature names of the model text, one per feature index.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The number of features a row must hold: <c>max_feature_idx + 1</c>.</summary>
    public int FeatureCount => FeatureNames.Count;

    public int TreeCount => TreeRoots.Length;

    /// <summary>The longest root-to-leaf path of any tree, in splits (0 when every tree is a single leaf).</summary>
    public int MaxDepth { get; }

    /// <summary>The model text's <c>objective</c> line, such as <c>binary sigmoid:1</c>.</summary>
    public string Objective { get; }

    /// <summary>
    /// The expected raw score over the training data: the sum over trees of the leaf values weighted by the share of
    /// the tree's training rows each leaf holds. It is the base value of every SHAP explanation.
    /// </summary>
    public double ExpectedValue { get; }

    internal int[] TreeRoots { get; }

    /// <summary>Where each tree's leaves start in the leaf arrays, and one past the last tree's.</summary>
    internal int[] TreeLeafOffsets { get; }

    internal int[] SplitFeatures { get; }

    internal double[] Thresholds { get; }

    internal byte[] DecisionTypes { get; }

    internal int[] LeftChildren { get; }

    internal int[] RightChildren { get; }

    /// <summary>The training rows that reached each internal node (<c>internal_count</c>).</summary>
    internal double[] NodeCovers { get; }

    internal double[] LeafValues { get; }

    /// <summary>The training rows that reached each leaf (<c>leaf_count</c>).</summary>
    internal double[] LeafCovers { get; }

    /// <summary>
    /// Reads LightGBM model text (<c>LGBM_BoosterSaveModelToString</c>, or a model file's contents) of a model with
    /// one tree per iteration and numerical splits only.
    /// </summary>
    /// <exception cref="FormatException">The text is not LightGBM model text.</exception>
    /// <exception cref="NotSupportedException">The model uses categorical splits, linear trees, several classes or averaged output.</exception>
    public static TreeEnsemble Parse(string modelText) => ModelTextParser.Parse(modelText);

    /// <summary>
    /// The raw margin of one row: the sum of the leaf values it reaches, in tree order, as LightGBM computes it.
    /// NaN is a missing value.
    /// </summary>
    public double PredictRaw(ReadOnlySpan<double> features)
    {
        RequireFeatures(features);
        var roots = TreeRoots;
        var leafValues = LeafValues;
        var sum = 0.0;
        for (var tree = 0; tree < roots.Length; tree++)
        {
            var node = roots[tree];
            while (node >= 0)
            {
                node = Next(node, features[SplitFeatures[node]]);
            }

            sum += leafValues[~node];
        }

        return sum;
    }

    /// <summary>The raw margin of every row of a dense row-major matrix, into <paramref name="scores"/>.</summary>
    public void PredictRaw(ReadOnlySpan<double> matrix, Span<double> scores)
    {
        if (matrix.Length != scores.Length * FeatureCount)
            throw new ArgumentException($"{matrix.Length} values are not {scores.Length} rows of {FeatureCount}.", nameof(matrix));
        for (var i = 0; i < scores.Length; i++)
            scores[i] = PredictRaw(matrix.Slice(i * FeatureCount, FeatureCount));
    }

    /// <summary>The child a value goes to at an internal node, by <see cref="GoesLeft"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int Next(int node, double value) => GoesLeft(node, value) ? LeftChildren[node] : RightChildren[node];

    /// <summary>
    /// LightGBM's rule for numerical splits: a value at most the threshold goes left; a missing value goes the default
    /// way, where missing means NaN for missing type NaN and zero (|x| ≤ <see cref="ZeroThreshold"/>, NaN included)
    /// for missing type Zero; NaN under missing type None is 0. <see cref="NaNGoesLeft"/>, <see cref="ZeroIsMissing"/>
    /// and <see cref="DefaultLeft"/> state it per split for <see cref="TreeShapExplainer"/>'s vector form.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool GoesLeft(int node, double value)
    {
        var decision = DecisionTypes[node];
        if (double.IsNaN(value))
        {
            return NaNGoesLeft(decision, Thresholds[node]);
        }

        if (ZeroIsMissing(decision) && Math.Abs(value) <= ZeroThreshold)
        {
            return DefaultLeft(decision);
        }

        return value <= Thresholds[node];
    }

    /// <summary>Where NaN goes: as 0 under missing type None, the default way otherwise.</summary>
    internal static bool NaNGoesLeft(byte decision, double threshold) =>
        ((decision >> 2) & 3) == MissingNone ? 0.0 <= threshold : DefaultLeft(decision);

    internal static bool ZeroIsMissing(byte decision) => ((decision >> 2) & 3) == MissingZero;

    internal static bool DefaultLeft(byte decision) => (decision & DefaultLeftMask) != 0;

    internal void RequireFeatures(ReadOnlySpan<double> features)
    {
        if (features.Length < FeatureCount)
        {
            throw new ArgumentException($"The model reads {FeatureCount} features; the row has {features.Length}.", nameof(features));
        }
    }

    internal double Cover(int child) => child >= 0 ? NodeCovers[child] : LeafCovers[~child];

    private double ComputeExpectedValue()
    {
        // Tree by tree, in LightGBM's order and arithmetic (Tree::ExpectedValue), so the base value matches its own.
        var expected = 0.0;
        for (var tree = 0; tree < TreeRoots.Length; tree++)
        {
            var root = TreeRoots[tree];
            if (root < 0)
            {
                expected += LeafValues[~root];
                continue;
            }

            var total = NodeCovers[root];
            var treeExpected = 0.0;
            for (var leaf = TreeLeafOffsets[tree]; leaf < TreeLeafOffsets[tree + 1]; leaf++)
            {
                treeExpected += LeafCovers[leaf] / total * LeafValues[leaf];
            }

            expected += treeExpected;
        }

        return expected;
    }
}
