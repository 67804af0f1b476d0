using Amlfs.Learning.Models;

namespace Amlfs.Cli.Evaluation;

/// <summary>What <c>amlfs evaluate</c> measured: the model's and the rules' figures on the same rows.</summary>
/// <param name="Model">The version evaluated, or <c>rules</c>.</param>
/// <param name="Metrics">The evaluated model's figures at its HIGH threshold.</param>
/// <param name="Rules">The rules model's figures on the same rows, at its own HIGH threshold.</param>
/// <param name="TypologyRecall">Per typology of the positives: rows and recall at HIGH of the model and of the rules.</param>
internal sealed record ModelEvaluationResult(
    string Model, ModelMetrics Metrics, ModelMetrics Rules, IReadOnlyList<TypologyRecall> TypologyRecall);
