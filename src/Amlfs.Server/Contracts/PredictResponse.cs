namespace Amlfs.Server.Contracts;

/// <summary>The risk of one transaction, with the features it was decided on and the reasons.</summary>
public sealed record PredictResponse
{
    public required string TransactionId { get; init; }

    public required string CustomerId { get; init; }

    public required string MerchantId { get; init; }

    public required decimal Amount { get; init; }

    /// <summary>
    /// Score in [0, 1], four decimals: the rules model's weighted sum, or a learned model's calibrated probability of
    /// laundering.
    /// </summary>
    public required double RiskScore { get; init; }

    /// <summary>
    /// LOW, MEDIUM or HIGH: the rules model's thresholds (0.3 and 0.6 by default), or those a learned model chose for
    /// its alert budgets.
    /// </summary>
    public required string RiskLevel { get; init; }

    /// <summary>
    /// The feature vector as of the transaction's time: the customer's and the merchant's stored features (which never
    /// include the scored transaction) and the request features (whose names say when they include it).
    /// </summary>
    public required IReadOnlyDictionary<string, double> FeaturesUsed { get; init; }

    /// <summary>The facts behind the score, in the language of Accept-Language (English or Brazilian Portuguese).</summary>
    public required IReadOnlyList<string> Explanation { get; init; }

    public required double ProcessingTimeMs { get; init; }

    public required string ModelVersion { get; init; }

    /// <summary>The as-of time of the features: the transaction's timestamp.</summary>
    public required DateTimeOffset ScoredAt { get; init; }

    /// <summary>A learned model's exact explanation; absent when the rules model scores.</summary>
    public ModelContributions? Contributions { get; init; }

    /// <summary>
    /// How unusual the transaction's features are, in (0, 1), from the unsupervised model trained with the active one
    /// (an isolation forest; above 0.5 is more isolated than typical); absent when the rules model scores.
    /// </summary>
    public double? AnomalyScore { get; init; }

    /// <summary>With <c>"record": true</c>, what ingest decided: accepted, duplicate, late or future_timestamp.</summary>
    public string? Recorded { get; init; }
}
