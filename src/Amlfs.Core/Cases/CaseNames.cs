namespace Amlfs.Cases;

/// <summary>
/// The one place that spells case statuses and dispositions on the wire (snake_case) and parses them back, and that
/// states which transitions are allowed and how case ids read.
/// </summary>
public static class CaseNames
{
    private const string IdPrefix = "CASE-";

    private static readonly string[] Statuses = ["open", "investigating", "closed"];
    private static readonly string[] Dispositions = ["laundering_confirmed", "false_positive", "inconclusive"];

    /// <summary>Every status by its wire name, in lifecycle order.</summary>
    public static IReadOnlyList<string> AllStatuses => Statuses;

    /// <summary>Every disposition by its wire name.</summary>
    public static IReadOnlyList<string> AllDispositions => Dispositions;

    public static string Name(this CaseStatus status) => Statuses[(int)status];

    public static string Name(this CaseDisposition disposition) => Dispositions[(int)disposition];

    /// <summary>The status named <paramref name="name"/>, or null.</summary>
    public static CaseStatus? ParseStatus(string? name) => Array.IndexOf(Statuses, name) is var i and >= 0 ? (CaseStatus)i : null;

    /// <summary>The disposition named <paramref name="name"/>, or null.</summary>
    public static CaseDisposition? ParseDisposition(string? name) => Array.IndexOf(Dispositions, name) is var i and >= 0 ? (CaseDisposition)i : null;

    /// <summary>
    /// The statuses a case in <paramref name="from"/> may move to: open to investigating or closed, investigating to
    /// closed, closed to none.
    /// </summary>
    public static IReadOnlyList<CaseStatus> AllowedFrom(CaseStatus from) => from switch
    {
        CaseStatus.Open => [CaseStatus.Investigating, CaseStatus.Closed],
        CaseStatus.Investigating => [CaseStatus.Closed],
        _ => [],
    };

    /// <summary>The readable id of the case numbered <paramref name="number"/>: <c>CASE-000123</c> (six digits at least).</summary>
    public static string Id(long number) => IdPrefix + number.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The number of the case whose id is <paramref name="id"/>, or null when it is not a case id.</summary>
    public static long? ParseId(string? id) =>
        id is not null && id.StartsWith(IdPrefix, StringComparison.Ordinal)
        && long.TryParse(id.AsSpan(IdPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
        && number > 0
            ? number
            : null;
}
