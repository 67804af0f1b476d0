namespace Amlfs.Scoring;

/// <summary>
/// The seed service's rules model: a weighted sum of normalized features plus business rules that add fixed
/// increments, clamped to [0, 1]. Feature positions are resolved once, so a score reads the engine's feature vector by
/// index with no lookup and allocates only its result.
/// </summary>
public sealed class RulesRiskModel
{
    private static readonly RiskReason[] NoRiskFactors = [new(RiskReasonCode.NoRiskFactors, 0, 0, 0)];

    private readonly RulesModelSettings _settings;
    private readonly int _featureCount;
    private readonly int[] _weightIndex;
    private readonly double[] _weights;
    private readonly double[] _normalizers;
    private readonly int _uniqueIps;
    private readonly int _velocity;
    private readonly int _deviation;
    private readonly int _nightCount;

    /// <summary>
    /// A model over feature vectors laid out as <paramref name="featureNames"/> (the engine's order). A weighted or
    /// rule feature missing from the names counts as 0.
    /// </summary>
    /// <exception cref="ArgumentException">The settings have invalid numbers (see <see cref="RulesModelSettings.Validate()"/>).</exception>
    public RulesRiskModel(RulesModelSettings settings, IReadOnlyList<string> featureNames)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(featureNames);
        var errors = settings.Validate();
        if (errors.Count > 0)
            throw new ArgumentException("invalid rules model settings: " + string.Join("; ", errors), nameof(settings));

        _settings = settings;
        _featureCount = featureNames.Count;
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < featureNames.Count; i++)
            positions.TryAdd(featureNames[i], i);
        int IndexOf(string name) => positions.TryGetValue(name, out var i) ? i : -1;

        var weights = settings.Weights;
        _weightIndex = new int[weights.Count];
        _weights = new double[weights.Count];
        _normalizers = new double[weights.Count];
        for (var i = 0; i < weights.Count; i++)
        {
            _weightIndex[i] = IndexOf(weights[i].Feature);
            _weights[i] = weights[i].Weight;
            _normalizers[i] = weights[i].Normalizer;
        }

        _uniqueIps = IndexOf(RulesModelSettings.UniqueIpsFeature);
        _velocity = IndexOf(RulesModelSettings.VelocityFeature);
        _deviation = IndexOf(RulesModelSettings.DeviationFeature);
        _nightCount = IndexOf(RulesModelSettings.NightCountFeature);
        Reads = [.. _weightIndex.Concat([_uniqueIps, _velocity, _deviation, _nightCount]).Where(i => i >= 0).Distinct().Select(i => featureNames[i])];
    }

    public RulesModelSettings Settings => _settings;

    /// <summary>The features a score reads: the weighted ones and those of the rules, among the model's feature names.</summary>
    public IReadOnlyList<string> Reads { get; }

    /// <summary>
    /// Scores a transaction of <paramref name="amount"/> given the customer's stored features as of the request time
    /// (which do not include this transaction).
    /// </summary>
    /// <param name="features">Values in the order of the model's feature names; a longer buffer is allowed.</param>
    /// <param name="amount">The amount of the transaction being scored.</param>
    public RiskAssessment Score(ReadOnlySpan<double> features, decimal amount)
    {
        if (features.Length < _featureCount)
        {
            throw new ArgumentException(
                $"the model expects {_featureCount} features, got {features.Length}", nameof(features));
        }

        var s = _settings;
        var score = 0.0;
        for (var i = 0; i < _weightIndex.Length; i++)
        {
            var index = _weightIndex[i];
            if (index < 0)
                continue;
            var value = features[index];
            // Negative values (and NaN) count as 0.
            if (value > 0)
                score += _weights[i] * Math.Min(value / _normalizers[i], 1.0);
        }

        // Rules add in this fixed order, which is also the order of the reasons.
        Span<RiskReason> reasons = stackalloc RiskReason[5];
        var count = 0;
        if (amount > s.HighAmountThreshold)
            Fire(RiskReasonCode.HighAmount, (double)amount, (double)s.HighAmountThreshold, s.HighAmountIncrement, ref score, reasons, ref count);
        else if (amount > s.ElevatedAmountThreshold)
            Fire(RiskReasonCode.ElevatedAmount, (double)amount, (double)s.ElevatedAmountThreshold, s.ElevatedAmountIncrement, ref score, reasons, ref count);
        var uniqueIps = Value(features, _uniqueIps);
        if (uniqueIps > s.MaxUniqueIps)
            Fire(RiskReasonCode.MultipleIps, uniqueIps, s.MaxUniqueIps, s.UniqueIpsIncrement, ref score, reasons, ref count);
        var velocity = Value(features, _velocity);
        if (velocity > s.VelocityThreshold)
            Fire(RiskReasonCode.HighVelocity, velocity, s.VelocityThreshold, s.VelocityIncrement, ref score, reasons, ref count);
        var deviation = Value(features, _deviation);
        if (deviation > s.DeviationThreshold)
            Fire(RiskReasonCode.IrregularAmounts, deviation, s.DeviationThreshold, s.DeviationIncrement, ref score, reasons, ref count);
        var nightCount = Value(features, _nightCount);
        if (nightCount > s.NightCountThreshold)
            Fire(RiskReasonCode.NightActivity, nightCount, s.NightCountThreshold, s.NightCountIncrement, ref score, reasons, ref count);

        // The level is decided from the rounded score, so that the score shown and the level always agree.
        var rounded = Math.Round(Math.Clamp(score, 0.0, 1.0), 4, MidpointRounding.AwayFromZero);
        return new RiskAssessment(
            rounded, s.LevelOf(rounded), count == 0 ? NoRiskFactors : reasons[..count].ToArray(), s.Version);
    }

    // A rule fires when its value is strictly above its threshold (compared by the caller: amounts as decimals). One with
    // increment 0 is turned off: it neither moves the score nor explains it.
    private static void Fire(
        RiskReasonCode code, double value, double threshold, double increment, ref double score, Span<RiskReason> reasons, ref int count)
    {
        if (increment <= 0)
            return;
        score += increment;
        reasons[count++] = new RiskReason(code, value, threshold, increment);
    }

    private static double Value(ReadOnlySpan<double> features, int index) => index < 0 ? 0 : features[index];
}
