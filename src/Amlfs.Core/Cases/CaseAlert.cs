using Amlfs.Decisions;
using Amlfs.Scoring;

namespace Amlfs.Cases;

/// <summary>
/// An alert that opened or joined a case, with the decision behind it: what the case's labels are written for when it
/// closes (<see cref="CaseLabels"/>).
/// </summary>
/// <param name="AlertSequence">The alert's number in the alert outbox.</param>
/// <param name="Rule">The rule that raised it.</param>
/// <param name="Summary">The alert's line of English.</param>
/// <param name="RaisedAtMs">When it was raised, UTC milliseconds.</param>
/// <param name="TransactionId">The decided transaction.</param>
/// <param name="CustomerId">The transaction's paying account.</param>
/// <param name="MerchantId">The transaction's destination.</param>
/// <param name="EventTimeMs">The transaction's time, UTC milliseconds.</param>
/// <param name="Score">The decision's score.</param>
/// <param name="Level">The decision's risk level.</param>
/// <param name="ModelVersion">The model that decided.</param>
public sealed record CaseAlert(
    long AlertSequence,
    string Rule,
    string Summary,
    long RaisedAtMs,
    string TransactionId,
    string CustomerId,
    string MerchantId,
    long EventTimeMs,
    double Score,
    RiskLevel Level,
    string ModelVersion)
{
    /// <summary>The typology the rule watches for, or empty.</summary>
    public string Typology { get; init; } = "";

    /// <summary>The decision's explanation when the host had it (the decision log keeps it for decisions that alert).</summary>
    public IReadOnlyList<DecisionContribution>? Contributions { get; init; }
}
