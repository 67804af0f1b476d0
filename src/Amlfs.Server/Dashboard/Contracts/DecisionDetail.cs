using Amlfs.Server.Contracts;

namespace Amlfs.Server.Dashboard.Contracts;

/// <summary>
/// A decision in full: the transaction, the score and level, the explanation (largest contribution first) and the
/// features of its customer and destination as of the transaction's time.
/// </summary>
internal sealed record DecisionDetail
{
    public required DecisionSummary Decision { get; init; }

    /// <summary>
    /// Where the decision was found: <c>feed</c> (the newest, in memory), <c>decision_log</c> (not rolled yet) or
    /// <c>offline_store</c> (the decisions table).
    /// </summary>
    public required string FoundIn { get; init; }

    public double? AnomalyScore { get; init; }

    /// <summary>The rest of the transaction; null once the log no longer holds it.</summary>
    public TransactionView? Transaction { get; init; }

    /// <summary>stored (an alert keeps its explanation), recomputed (on demand, same model version) or unavailable.</summary>
    public required string ExplanationSource { get; init; }

    /// <summary>Why the explanation is unavailable; null otherwise.</summary>
    public string? ExplanationNote { get; init; }

    /// <summary>The explanation, the largest contribution (by magnitude) first; empty when unavailable.</summary>
    public required IReadOnlyList<ContributionView> Contributions { get; init; }

    /// <summary>The customer's features as of the transaction's time; null when they cannot be read (<see cref="FeaturesNote"/>).</summary>
    public FeaturesResponse? CustomerFeatures { get; init; }

    /// <summary>The destination's (merchant or receiving account) features as of the transaction's time.</summary>
    public FeaturesResponse? DestinationFeatures { get; init; }

    public string? FeaturesNote { get; init; }
}
