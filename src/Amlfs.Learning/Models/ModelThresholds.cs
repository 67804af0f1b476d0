namespace Amlfs.Learning.Models;

/// <summary>
/// The calibrated-probability thresholds of the risk levels (MEDIUM from <see cref="Medium"/>, HIGH from
/// <see cref="High"/>, both inclusive), chosen on validation so that at most the given share of transactions reaches
/// each level.
/// </summary>
public sealed record ModelThresholds(double Medium, double High, double MediumAlertRate, double HighAlertRate);
