using Amlfs.Scoring;

namespace Amlfs.Server.Serving;

/// <summary>
/// A learned model's verdict: calibrated probability (rounded to four decimals, as responses show it), level, the
/// explanation's base value and raw score, the anomaly score, and the calibrated probability unrounded (what the level
/// was decided on, and what drift bins, as training binned its reference).
/// </summary>
internal readonly record struct ModelScore(double Probability, RiskLevel Level, double BaseValue, double RawScore, double? AnomalyScore, double ExactProbability);
