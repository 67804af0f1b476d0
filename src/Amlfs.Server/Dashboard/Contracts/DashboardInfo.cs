namespace Amlfs.Server.Dashboard.Contracts;

/// <summary>What the pages need to know about the process before anything else: its mode and what it has.</summary>
internal sealed record DashboardInfo
{
    /// <summary>embedded or replica.</summary>
    public required string Mode { get; init; }

    /// <summary>Whether this process decides the transactions it accepts (a replica accepts none, so has no alerts).</summary>
    public required bool Decides { get; init; }

    public required string ModelVersion { get; init; }

    public required int RegistryVersion { get; init; }

    /// <summary>The entity types of the definitions, the customer first.</summary>
    public required IReadOnlyList<string> Entities { get; init; }

    /// <summary>Seconds of overview history the process keeps.</summary>
    public required int HistorySeconds { get; init; }

    /// <summary>Decisions the process keeps for the alert list and the pages.</summary>
    public required int DecisionCapacity { get; init; }
}
