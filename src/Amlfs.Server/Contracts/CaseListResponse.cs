namespace Amlfs.Server.Contracts;

/// <summary>A page of cases: those of the page, how many match in all, and the cursor of the next page (null on the last).</summary>
public sealed record CaseListResponse(IReadOnlyList<CaseResponse> Cases, int Total, string? Next);
