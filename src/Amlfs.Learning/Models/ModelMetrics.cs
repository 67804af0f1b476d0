namespace Amlfs.Learning.Models;

/// <summary>A model's figures on one period's rows (calibrated scores; NaN where the period has no positive).</summary>
public sealed record ModelMetrics(
    long Rows, long Positives, double RocAuc, double PrAuc, double RecallAt1PctFpr, double PrecisionAtHigh, double RecallAtHigh,
    double F1AtHigh, double AlertRate, double? AnomalyPrAuc);
