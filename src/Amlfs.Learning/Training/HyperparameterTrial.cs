namespace Amlfs.Learning.Training;

/// <summary>One trial of a <see cref="HyperparameterSearch"/>: the parameters drawn and how their model validated.</summary>
/// <param name="Index">The trial's position in the search, from 0; trial 0 trains the base parameters.</param>
/// <param name="Parameters">The parameters as drawn (a null <see cref="GradientBoostedParameters.ScalePosWeight"/> stays null).</param>
/// <param name="ValidationScore">The best validation score of the trial's model.</param>
/// <param name="BestIteration">The iteration that score was reached at.</param>
public sealed record HyperparameterTrial(int Index, GradientBoostedParameters Parameters, double ValidationScore, int BestIteration);
