namespace Amlfs.Server.Contracts;

/// <summary>
/// A learned model's exact explanation (TreeSHAP, in log-odds): <see cref="BaseValue"/> plus every feature's
/// contribution adds up to <see cref="RawScore"/>, which calibration turns into <c>risk_score</c>.
/// </summary>
public sealed record ModelContributions
{
    /// <summary>The model's expected raw score over its training data.</summary>
    public required double BaseValue { get; init; }

    /// <summary>The raw score (log-odds) of this transaction: the base value plus the contributions.</summary>
    public required double RawScore { get; init; }

    /// <summary>Every input with its value and contribution, the largest contribution (by magnitude) first.</summary>
    public required IReadOnlyList<FeatureContribution> Features { get; init; }
}
