using Amlfs.Scoring;

namespace Amlfs.Server.Serving;

/// <summary>A learned model's verdict: calibrated probability, level, the explanation's base value and raw score, and the anomaly score.</summary>
internal readonly record struct ModelScore(double Probability, RiskLevel Level, double BaseValue, double RawScore, double? AnomalyScore);
