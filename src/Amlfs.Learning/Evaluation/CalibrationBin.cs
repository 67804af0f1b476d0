namespace Amlfs.Learning.Evaluation;

/// <summary>One bin of a reliability diagram: the predictions in [<paramref name="Lower"/>, <paramref name="Upper"/>).</summary>
/// <param name="Lower">The bin's lower edge (inclusive).</param>
/// <param name="Upper">The bin's upper edge (exclusive, except for the last bin, which includes 1).</param>
/// <param name="MeanPredicted">The mean predicted probability of the bin's rows.</param>
/// <param name="ObservedRate">The fraction of the bin's rows labelled positive.</param>
/// <param name="Count">The bin's rows (at least 1: empty bins are left out of the curve).</param>
public readonly record struct CalibrationBin(double Lower, double Upper, double MeanPredicted, double ObservedRate, long Count);
