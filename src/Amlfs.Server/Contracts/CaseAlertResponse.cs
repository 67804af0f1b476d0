namespace Amlfs.Server.Contracts;

/// <summary>An alert of a case with its decision: the transaction, score, level, model and, when known, the explanation.</summary>
public sealed record CaseAlertResponse
{
    public required long AlertSequence { get; init; }

    public required string Rule { get; init; }

    public required string Summary { get; init; }

    public required DateTimeOffset RaisedAt { get; init; }

    public required string TransactionId { get; init; }

    public required string CustomerId { get; init; }

    public required string MerchantId { get; init; }

    /// <summary>The transaction's time: its features' as-of time.</summary>
    public required DateTimeOffset EventTime { get; init; }

    public required double Score { get; init; }

    /// <summary>LOW, MEDIUM or HIGH.</summary>
    public required string Level { get; init; }

    public required string ModelVersion { get; init; }

    public string? Typology { get; init; }

    /// <summary>Each model input with its value and contribution, largest first; null when not known.</summary>
    public IReadOnlyList<FeatureContribution>? Contributions { get; init; }
}
