namespace Amlfs.Server.Contracts;

/// <summary>What happened to each transaction of a <c>POST /transactions</c>, in request order.</summary>
public sealed class IngestResponse
{
    public required int Accepted { get; init; }

    public required int Duplicates { get; init; }

    /// <summary>Transactions not ingested: late, future_timestamp or invalid.</summary>
    public required int Rejected { get; init; }

    public required IReadOnlyList<IngestResult> Results { get; init; }
}
