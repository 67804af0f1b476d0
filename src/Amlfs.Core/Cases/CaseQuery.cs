using System.Globalization;

namespace Amlfs.Cases;

/// <summary>
/// A filter, an order and a page over the cases, for a work queue: by status, assignee, entity and age (now minus the
/// opening time), ordered by <see cref="CaseOrder"/>, a page of <see cref="Limit"/> after <see cref="Cursor"/> (the
/// <see cref="CasePage.Next"/> of the page before). A cursor holds the last case's sort key, so pages neither repeat
/// nor skip a case whose score did not change between them. Nulls: no filter.
/// </summary>
public sealed record CaseQuery
{
    public CaseStatus? Status { get; init; }

    public string? Assignee { get; init; }

    public string? EntityType { get; init; }

    public string? EntityId { get; init; }

    /// <summary>Only cases open at least this long.</summary>
    public TimeSpan? MinAge { get; init; }

    /// <summary>Only cases open at most this long.</summary>
    public TimeSpan? MaxAge { get; init; }

    public CaseOrder Order { get; init; } = CaseOrder.Score;

    public int Limit { get; init; } = 50;

    public string? Cursor { get; init; }

    /// <summary>Whether a cursor can be read (a caller checks before running the query).</summary>
    public static bool IsCursor(string cursor) => ParseCursor(cursor) is not null;

    /// <summary>The page of <paramref name="cases"/> this query selects, as of <paramref name="nowMs"/>.</summary>
    public CasePage Run(IEnumerable<Case> cases, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var matching = cases.Where(c => Matches(c, nowMs));
        var ordered = (Order == CaseOrder.Score
            ? matching.OrderByDescending(c => c.MaxScore).ThenBy(c => c.OpenedAtMs)
            : matching.OrderBy(c => c.OpenedAtMs).ThenByDescending(c => c.MaxScore)).ThenBy(c => c.Number).ToList();
        var start = 0;
        if (Cursor is not null && ParseCursor(Cursor) is { } after)
        {
            start = ordered.FindIndex(c => Compare(Key(c), after) > 0);
            if (start < 0)
                start = ordered.Count;
        }

        var page = ordered.Skip(start).Take(Limit).ToArray();
        var more = start + page.Length < ordered.Count;
        return new CasePage(page, ordered.Count, more && page.Length > 0 ? FormatCursor(Key(page[^1])) : null);
    }

    private bool Matches(Case c, long nowMs)
    {
        var age = TimeSpan.FromMilliseconds(nowMs - c.OpenedAtMs);
        return (Status is null || c.Status == Status)
            && (Assignee is null || string.Equals(c.Assignee, Assignee, StringComparison.Ordinal))
            && (EntityType is null || c.EntityType == EntityType)
            && (EntityId is null || c.EntityId == EntityId)
            && (MinAge is null || age >= MinAge)
            && (MaxAge is null || age <= MaxAge);
    }

    /// <summary>The sort key of a case under this order, as a tuple compared ascending.</summary>
    private (double First, double Second, long Number) Key(Case c) => Order == CaseOrder.Score
        ? (-c.MaxScore, c.OpenedAtMs, c.Number)
        : (c.OpenedAtMs, -c.MaxScore, c.Number);

    private static int Compare((double First, double Second, long Number) a, (double First, double Second, long Number) b)
    {
        var first = a.First.CompareTo(b.First);
        if (first != 0)
            return first;
        var second = a.Second.CompareTo(b.Second);
        return second != 0 ? second : a.Number.CompareTo(b.Number);
    }

    private static string FormatCursor((double First, double Second, long Number) key) =>
        string.Create(CultureInfo.InvariantCulture, $"{key.First:R}_{key.Second:R}_{key.Number}");

    private static (double, double, long)? ParseCursor(string cursor)
    {
        var parts = cursor.Split('_');
        return parts.Length == 3
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var first)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var second)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                ? (first, second, number)
                : null;
    }
}
