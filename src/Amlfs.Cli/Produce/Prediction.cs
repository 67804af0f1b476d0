namespace Amlfs.Cli.Produce;

/// <summary>The answer to <c>POST /predict</c>: the risk of one transaction, the features it saw and why.</summary>
internal sealed record Prediction(
    string? TransactionId,
    string? CustomerId,
    string? MerchantId,
    decimal Amount,
    double RiskScore,
    string? RiskLevel,
    IReadOnlyDictionary<string, double>? FeaturesUsed,
    IReadOnlyList<string>? Explanation,
    double ProcessingTimeMs,
    string? ModelVersion);
