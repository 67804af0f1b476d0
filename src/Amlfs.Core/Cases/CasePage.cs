namespace Amlfs.Cases;

/// <summary>One page of a <see cref="CaseQuery"/>.</summary>
/// <param name="Cases">The cases of the page, in the query's order.</param>
/// <param name="Total">How many cases match the filter, on every page.</param>
/// <param name="Next">The cursor of the next page; null on the last.</param>
public sealed record CasePage(IReadOnlyList<Case> Cases, int Total, string? Next);
