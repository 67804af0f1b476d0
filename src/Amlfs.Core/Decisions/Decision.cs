using Amlfs.Scoring;
using Amlfs.Transactions;

namespace Amlfs.Decisions;

/// <summary>
/// What the active model decided about one accepted transaction as it streamed in: scored as of the transaction's own
/// time, from the features before it and its request features, as <c>/predict</c> would have. The explanation is kept
/// only for a decision that alerts (<see cref="Contributions"/>); the others keep the score alone, which is what makes
/// scoring every transaction affordable.
/// </summary>
/// <param name="TransactionId">The transaction's id.</param>
/// <param name="CustomerId">The paying account.</param>
/// <param name="MerchantId">The destination: a merchant, or another account for a transfer.</param>
/// <param name="DestinationType">Whether the destination is a merchant or an account.</param>
/// <param name="AmountCents">The amount in cents.</param>
/// <param name="EventTimeMs">The transaction's time, UTC milliseconds: the as-of time of its features.</param>
/// <param name="LogSequence">The transaction's sequence in the write-ahead log (or its partition's offset).</param>
/// <param name="DecidedAtMs">When the decision was taken, UTC milliseconds.</param>
/// <param name="Score">The score in [0, 1].</param>
/// <param name="Level">The risk level the score falls in.</param>
/// <param name="ModelVersion">The version of the model that decided.</param>
public sealed record Decision(
    string TransactionId,
    string CustomerId,
    string MerchantId,
    DestinationType DestinationType,
    long AmountCents,
    long EventTimeMs,
    long LogSequence,
    long DecidedAtMs,
    double Score,
    RiskLevel Level,
    string ModelVersion)
{
    /// <summary>
    /// When the features were read as of another instant than the transaction's time, that instant; null when they were
    /// read as of the transaction's own time, as always unless the decision came so late (a catch-up after a long stop)
    /// that the engine no longer held that time's history: it is then read as of the oldest instant it still held.
    /// </summary>
    public long? FeaturesAsOfMs { get; init; }

    /// <summary>A learned model's anomaly score, in (0, 1); null when the rules model decided.</summary>
    public double? AnomalyScore { get; init; }

    /// <summary>
    /// For a decision that alerts, its explanation: each model input with its value and exact contribution, the
    /// largest by magnitude first (for the rules model, each rule's weight that fired); null for the others.
    /// </summary>
    public IReadOnlyList<DecisionContribution>? Contributions { get; init; }
}
