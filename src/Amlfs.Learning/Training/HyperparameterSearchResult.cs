namespace Amlfs.Learning.Training;

/// <summary>The outcome of a <see cref="HyperparameterSearch"/>: every trial in order, and the best one's model.</summary>
/// <param name="Trials">Every trial, in the order trained.</param>
/// <param name="BestTrial">The trial with the highest validation score, the earliest among equals.</param>
/// <param name="BestModel">The model of <paramref name="BestTrial"/>.</param>
public sealed record HyperparameterSearchResult(IReadOnlyList<HyperparameterTrial> Trials, HyperparameterTrial BestTrial, GradientBoostedModel BestModel);
