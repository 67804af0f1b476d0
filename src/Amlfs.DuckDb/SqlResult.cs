namespace Amlfs.DuckDb;

/// <summary>The columns and rows of a query; <see cref="Truncated"/> when more rows existed than were asked for.</summary>
public sealed record SqlResult(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows, bool Truncated);
