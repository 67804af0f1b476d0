namespace Amlfs.Cli.Evaluation;

/// <summary>One row of the report's recall-by-typology table, computed by the caller.</summary>
/// <param name="Typology">The laundering typology, e.g. <c>structuring</c>.</param>
/// <param name="Positives">The labelled positives of the typology in the evaluation rows.</param>
/// <param name="ModelRecall">The share of them the model flags, in [0, 1].</param>
/// <param name="RulesRecall">The share of them the rules model flags, in [0, 1].</param>
internal sealed record TypologyRecall(string Typology, long Positives, double ModelRecall, double RulesRecall);
