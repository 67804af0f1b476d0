using Amlfs.Server.Contracts;

namespace Amlfs.Server.Dashboard.Contracts;

/// <summary>An entity: its features now and, when asked, as of an earlier instant; its recent transactions and counterparties.</summary>
internal sealed record EntityDetail
{
    public required string Entity { get; init; }

    public required string Id { get; init; }

    public required FeaturesResponse Now { get; init; }

    /// <summary>The features as of the instant asked for; null when none was, or when it is outside the query history (<see cref="AtProblem"/>).</summary>
    public FeaturesResponse? At { get; init; }

    public string? AtProblem { get; init; }

    public required IReadOnlyList<FeatureInfo> Features { get; init; }

    /// <summary>Its newest decisions, newest first: as the paying customer or as the destination.</summary>
    public required IReadOnlyList<DecisionSummary> Recent { get; init; }

    public required IReadOnlyList<CounterpartyView> Counterparties { get; init; }

    /// <summary>Why there are no recent transactions to show (a replica decides nothing; an IP or device is not on a decision); null otherwise.</summary>
    public string? RecentNote { get; init; }
}
