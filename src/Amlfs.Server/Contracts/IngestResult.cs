namespace Amlfs.Server.Contracts;

/// <summary>The outcome of one transaction: accepted, duplicate, late, future_timestamp or invalid (with errors).</summary>
public sealed class IngestResult
{
    public required string? TransactionId { get; init; }

    public required string Status { get; init; }

    /// <summary>For invalid transactions, one entry per bad field.</summary>
    public IReadOnlyList<FieldProblem>? Errors { get; init; }
}
