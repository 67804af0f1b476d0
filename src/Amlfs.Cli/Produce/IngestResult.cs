namespace Amlfs.Cli.Produce;

/// <summary>
/// What the server did with one transaction: <c>accepted</c>, <c>duplicate</c>, or a rejection reason (<c>late</c>,
/// <c>future_timestamp</c>, <c>invalid</c>) with the field errors of an invalid one.
/// </summary>
internal sealed record IngestResult(string? TransactionId, string? Status, IReadOnlyList<IngestFieldError>? Errors);
