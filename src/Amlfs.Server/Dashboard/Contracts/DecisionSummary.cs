namespace Amlfs.Server.Dashboard.Contracts;

/// <summary>One decision as the alert list and the entity page show it.</summary>
internal sealed record DecisionSummary
{
    public required string TransactionId { get; init; }

    public required string CustomerId { get; init; }

    public required string MerchantId { get; init; }

    /// <summary>merchant or account.</summary>
    public required string DestinationType { get; init; }

    public required decimal Amount { get; init; }

    public required DateTimeOffset EventTime { get; init; }

    public required DateTimeOffset DecidedAt { get; init; }

    public required double Score { get; init; }

    /// <summary>LOW, MEDIUM or HIGH.</summary>
    public required string Level { get; init; }

    public required string ModelVersion { get; init; }

    /// <summary>The typology signal (the family of the largest positive contribution); null without an explanation.</summary>
    public string? Signal { get; init; }

    /// <summary>The input with the largest positive contribution; null without an explanation.</summary>
    public string? TopFeature { get; init; }
}
