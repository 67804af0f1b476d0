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
/// Two layouts compute this: <see cref="LockstepShap"/> for shallow ensembles (depth 8 at most), four trees at a
/// time in the lanes of a vector, and <see cref="SplitwiseShap"/> for any other, split by split with the quadrature
/// points in the lanes. Either allocates its buffers once, so an explanation allocates nothing; not thread-safe:
/// one explainer per thread.
/// </para>
/// </remarks>
public sealed class TreeShapExplainer
{
    private readonly IShapAlgorithm _algorithm;

    public TreeShapExplainer(TreeEnsemble ensemble)
        : this(ensemble, LockstepShap.Suits(ensemble ?? throw new ArgumentNullException(nameof(ensemble))))
    {
    }

    /// <summary>An explainer with the layout chosen by the caller, for the tests to check each on any model.</summary>
    internal TreeShapExplainer(TreeEnsemble ensemble, bool lockstep)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        Ensemble = ensemble;
        var quadrature = new ShapQuadrature(ensemble.MaxDepth);
        _algorithm = lockstep ? new LockstepShap(ensemble, quadrature) : new SplitwiseShap(ensemble, quadrature);
    }

    public TreeEnsemble Ensemble { get; }

    /// <summary>
    /// Writes one SHAP value per feature into the first <see cref="TreeEnsemble.FeatureCount"/> elements of
    /// <paramref name="contributions"/> and returns the base value (<see cref="TreeEnsemble.ExpectedValue"/>); the
    /// base value plus the contributions is the row's raw score.
    /// </summary>
    public double Explain(ReadOnlySpan<double> features, Span<double> contributions) => Explain(features, contributions, out _);

    /// <inheritdoc cref="Explain(ReadOnlySpan{double}, Span{double})"/>
    /// <param name="features">The row; NaN is a missing value.</param>
    /// <param name="contributions">At least <see cref="TreeEnsemble.FeatureCount"/> elements.</param>
    /// <param name="rawScore">The row's raw score, equal to what <see cref="TreeEnsemble.PredictRaw(ReadOnlySpan{double})"/> returns.</param>
    public double Explain(ReadOnlySpan<double> features, Span<double> contributions, out double rawScore)
    {
        Ensemble.RequireFeatures(features);
        if (contributions.Length < Ensemble.FeatureCount)
        {
            throw new ArgumentException(
                $"The model has {Ensemble.FeatureCount} features; the contributions hold {contributions.Length}.", nameof(contributions));
        }

        rawScore = _algorithm.Explain(features, contributions[..Ensemble.FeatureCount]);
        return Ensemble.ExpectedValue;
    }
}
