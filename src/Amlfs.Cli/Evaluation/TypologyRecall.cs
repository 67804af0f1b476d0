namespace Amlfs.Cli.Evaluation;

/// <summary>One row of the report's recall-by-typology table, computed by the caller.</summary>
/// <param name="Typology">The laundering typology, e.g. <c>structuring</c>.</param>
/// <param name="Positives">The labelled positives of the typology in the evaluation rows.</param>
/// <param name="ModelRecall">The share of them the model flags at its HIGH threshold, in [0, 1].</param>
/// <param name="RulesRecall">The share of them the rules model flags at its HIGH threshold, in [0, 1].</param>
/// <param name="ModelRecallAt1PctFpr">
/// The share of them the model ranks above the threshold at which 1% of all negatives are flagged (the recall at 1%
/// false-positive rate of the typology's positives against every negative), in [0, 1].
/// </param>
/// <param name="RulesRecallAt1PctFpr">The same for the rules model.</param>
internal sealed record TypologyRecall(
    string Typology, long Positives, double ModelRecall, double RulesRecall, double ModelRecallAt1PctFpr, double RulesRecallAt1PctFpr);
