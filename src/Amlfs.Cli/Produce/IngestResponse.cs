namespace Amlfs.Cli.Produce;

/// <summary>The answer to <c>POST /transactions</c>: totals, and one result per transaction in request order.</summary>
internal sealed record IngestResponse(int Accepted, int Duplicates, int Rejected, IReadOnlyList<IngestResult>? Results);
