using System.Globalization;

namespace Amlfs.Synthetic;

/// <summary>
/// What to generate. The same options always give the same history, byte for byte, whatever the number of threads;
/// nothing depends on the current date or the machine's time zone.
/// </summary>
public sealed record SyntheticOptions
{
    /// <summary>The largest number of customers or merchants: ids and per-day ordinals stay within their widths.</summary>
    public const int MaxEntities = 10_000_000;

    /// <summary>The longest history, ten years.</summary>
    public const int MaxDays = 3_660;

    /// <summary>The most normal transactions a day may expect: a day is generated, sorted and held in memory whole.</summary>
    public const double MaxDailyTransactions = 50_000_000;

    /// <summary>Number of customers, 1 to <see cref="MaxEntities"/>.</summary>
    public int Customers { get; init; } = 1_000;

    /// <summary>Number of merchants, 1 to <see cref="MaxEntities"/>; twelve or more give every category a merchant.</summary>
    public int Merchants { get; init; } = 100;

    /// <summary>Number of UTC days, 1 to <see cref="MaxDays"/>.</summary>
    public int Days { get; init; } = 7;

    /// <summary>The seed every random stream of the run derives from.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>The first UTC day of the history; a fixed Monday by default.</summary>
    public DateOnly Start { get; init; } = new(2026, 1, 5);

    /// <summary>IANA zone of the customers' daily rhythm and of night activity.</summary>
    public string TimeZone { get; init; } = "America/Sao_Paulo";

    /// <summary>Mean normal transactions per customer on a weekday (weekends are quieter, Fridays busier).</summary>
    public double DailyTransactions { get; init; } = 3.3;

    /// <summary>
    /// Share of normal transactions that are transfers to another customer (family, friends, now and then someone
    /// else) rather than payments to merchants, so that a transfer between accounts is not by itself suspicious.
    /// </summary>
    public double TransferShare { get; init; } = 0.1;

    /// <summary>How often each laundering typology is injected and in what shapes; <c>typologies.yaml</c> by default.</summary>
    public TypologySettings Laundering { get; init; } = TypologySettings.Default;

    /// <summary>Every problem with these options, each naming the option; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Customers is < 1 or > MaxEntities)
            errors.Add(Describe("customers", "must be between 1 and 10,000,000", Customers));
        if (Merchants is < 1 or > MaxEntities)
            errors.Add(Describe("merchants", "must be between 1 and 10,000,000", Merchants));
        if (Days is < 1 or > MaxDays)
            errors.Add(Describe("days", "must be between 1 and 3,660", Days));
        if (Start.Year is < 1970 or > 9000)
            errors.Add(Describe("start", "must be a date between 1970 and 9000", Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        if (!System.TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
            errors.Add(Describe("timezone", "must be an IANA time zone id such as America/Sao_Paulo", TimeZone));
        if (!double.IsFinite(DailyTransactions) || DailyTransactions < 0 || DailyTransactions > 1_000)
            errors.Add(Describe("daily-transactions", "must be between 0 and 1,000", DailyTransactions));
        else if (Customers * DailyTransactions > MaxDailyTransactions)
            errors.Add(Describe("customers", "times daily-transactions must be at most 50,000,000 (one day is held in memory)", Customers * DailyTransactions));
        if (!double.IsFinite(TransferShare) || TransferShare < 0 || TransferShare > 1)
            errors.Add(Describe("transfer-share", "must be between 0 and 1", TransferShare));
        errors.AddRange(Laundering.Problems().Select(p => $"typologies {p.Path} {p.Message}"));

        return errors;
    }

    /// <summary>Resolves <see cref="TimeZone"/>; call <see cref="Validate"/> first.</summary>
    public TimeZoneInfo ResolveTimeZone() => System.TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    private static string Describe(string option, string rule, object value) =>
        string.Create(CultureInfo.InvariantCulture, $"{option} {rule}, got {value}");
}
