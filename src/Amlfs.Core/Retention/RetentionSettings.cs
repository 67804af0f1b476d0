using System.Globalization;

namespace Amlfs.Retention;

/// <summary>
/// How long each swept store of a data directory keeps its records (see <c>docs/privacy.md</c>). The defaults follow
/// AML record keeping: five years for transactions, decisions and labels (the records an institution must produce for a
/// regulator), 90 days for the operational stores that hold copies of personal data (dead letters, the feature log).
/// Stores that are not listed are kept as long as the data directory: the audit trail (a hash chain that cutting breaks),
/// cases (investigations have no end date), models, the registry and keys; the write-ahead log and snapshots bound
/// themselves.
/// </summary>
public sealed record RetentionSettings
{
    /// <summary>Five years, counted as 5 x 366 days so that no calendar span of five years is cut short.</summary>
    public static readonly TimeSpan FiveYears = TimeSpan.FromDays(5 * DaysPerYear);

    /// <summary>The shortest period of the rolled tables: the log rolls into its day partitions and a backfill reads back that far.</summary>
    public static readonly TimeSpan ShortestRolledPeriod = TimeSpan.FromDays(9);

    private const int DaysPerYear = 366;

    /// <summary>The offline store's transactions (<c>transactions/date=*</c>).</summary>
    public TimeSpan Transactions { get; init; } = FiveYears;

    /// <summary>The rolled decisions (<c>decisions/date=*</c>).</summary>
    public TimeSpan Decisions { get; init; } = FiveYears;

    /// <summary>The label table's files (<c>labels/part-*</c>), by the time each was written.</summary>
    public TimeSpan Labels { get; init; } = FiveYears;

    /// <summary>The logged feature vectors (<c>feature_log/ENTITY/date=*</c>).</summary>
    public TimeSpan FeatureLog { get; init; } = TimeSpan.FromDays(90);

    /// <summary>The dead letters (<c>dead-letter/rejected-*.jsonl</c>), by the day of rejection.</summary>
    public TimeSpan DeadLetters { get; init; } = TimeSpan.FromDays(90);

    /// <summary>The stores these settings name, as <c>--retain</c> spells them, with their periods.</summary>
    public IReadOnlyList<(string Store, TimeSpan Period)> Periods =>
    [
        (RetentionStores.Transactions, Transactions),
        (RetentionStores.Decisions, Decisions),
        (RetentionStores.Labels, Labels),
        (RetentionStores.FeatureLog, FeatureLog),
        (RetentionStores.DeadLetters, DeadLetters),
    ];

    /// <summary>Each problem with these settings, naming the setting and the value; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        foreach (var (store, period) in Periods)
        {
            var shortest = store is RetentionStores.Transactions or RetentionStores.Decisions ? ShortestRolledPeriod : TimeSpan.FromDays(1);
            if (period < shortest)
                errors.Add($"retain {store}: must be at least {Format(shortest)}, got {Format(period)}");
        }

        return errors;
    }

    /// <summary>
    /// These settings with <paramref name="assignment"/> applied: <c>STORE=PERIOD</c>, a store of
    /// <see cref="RetentionStores.All"/> and a period such as <c>90d</c> or <c>5y</c>.
    /// </summary>
    /// <exception cref="FormatException">The store or the period is not one; the message names the value.</exception>
    public RetentionSettings With(string assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
            throw new FormatException($"retain '{assignment}': expected STORE=PERIOD, e.g. dead_letters=30d");
        var store = assignment[..equals].Trim();
        var period = ParsePeriod(assignment[(equals + 1)..].Trim(), store);
        return store switch
        {
            RetentionStores.Transactions => this with { Transactions = period },
            RetentionStores.Decisions => this with { Decisions = period },
            RetentionStores.Labels => this with { Labels = period },
            RetentionStores.FeatureLog => this with { FeatureLog = period },
            RetentionStores.DeadLetters => this with { DeadLetters = period },
            _ => throw new FormatException($"retain '{assignment}': the store must be one of {string.Join(", ", RetentionStores.All)}, got '{store}'"),
        };
    }

    /// <summary>A period: whole days (<c>90d</c>) or years of 366 days (<c>5y</c>).</summary>
    /// <exception cref="FormatException">Not such a period; the message names <paramref name="store"/> and the text.</exception>
    public static TimeSpan ParsePeriod(string text, string store)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length >= 2 && (text[^1] is 'd' or 'y')
            && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && count <= 100 * DaysPerYear)
        {
            return TimeSpan.FromDays(text[^1] == 'y' ? (long)count * DaysPerYear : count);
        }

        throw new FormatException($"retain {store}: the period must be whole days or years, e.g. 90d or 5y, got '{text}'");
    }

    /// <summary>A period as <see cref="ParsePeriod"/> reads it: years when it is a whole number of them, else days.</summary>
    public static string Format(TimeSpan period)
    {
        var days = (long)period.TotalDays;
        return days % DaysPerYear == 0 && days > 0 && period == TimeSpan.FromDays(days)
            ? string.Create(CultureInfo.InvariantCulture, $"{days / DaysPerYear}y")
            : string.Create(CultureInfo.InvariantCulture, $"{period.TotalDays:0.###}d");
    }
}
