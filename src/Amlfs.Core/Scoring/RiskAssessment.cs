namespace Amlfs.Scoring;

/// <summary>The verdict of a risk model on one transaction.</summary>
/// <param name="Score">The score in [0, 1], rounded to 4 decimals; <paramref name="Level"/> is decided from this value.</param>
/// <param name="Level">The level of <paramref name="Score"/> under the model's thresholds.</param>
/// <param name="Reasons">The rules that fired in a fixed order (amount, IPs, velocity, deviation, night), or a single
/// <see cref="RiskReasonCode.NoRiskFactors"/>; never empty.</param>
/// <param name="ModelVersion">The version of the model that decided, reported as <c>model_version</c>.</param>
public sealed record RiskAssessment(double Score, RiskLevel Level, IReadOnlyList<RiskReason> Reasons, string ModelVersion);
