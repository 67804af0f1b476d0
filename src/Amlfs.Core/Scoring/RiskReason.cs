namespace Amlfs.Scoring;

/// <summary>
/// One business rule that fired, with the facts an explanation states. <see cref="Value"/> is what the rule compared:
/// the request amount (<see cref="RiskReasonCode.HighAmount"/>, <see cref="RiskReasonCode.ElevatedAmount"/>), the
/// distinct IPs, the transactions per minute, the standard deviation of amounts or the night transaction count; it
/// was above <see cref="Threshold"/>. <see cref="Contribution"/> is what the rule added to the score before the score
/// was clamped to [0, 1]. <see cref="RiskReasonCode.NoRiskFactors"/> carries zeros.
/// </summary>
/// <remarks>Only numbers, so that a model can collect reasons in a stack buffer without allocating.</remarks>
public readonly record struct RiskReason(RiskReasonCode Code, double Value, double Threshold, double Contribution);
