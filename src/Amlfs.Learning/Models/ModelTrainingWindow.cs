namespace Amlfs.Learning.Models;

/// <summary>
/// The periods a model was trained, validated and tested on: train [From, ValidationFrom), validation
/// [ValidationFrom, TestFrom), test [TestFrom, To). <see cref="To"/> is the training cut-off: no label known at or after
/// it was used.
/// </summary>
public sealed record ModelTrainingWindow(DateTimeOffset From, DateTimeOffset ValidationFrom, DateTimeOffset TestFrom, DateTimeOffset To);
