using System.Globalization;
using Amlfs.OfflineStore;
using Amlfs.Registry;

namespace Amlfs.Synthetic;

/// <summary>
/// The keys of a typologies file and what each accepts: the keys a typology's section may set, how a key's text becomes
/// a <see cref="TypologyShape"/> value, and the limits of every value. The file, <see cref="TypologySettings.Problems"/>
/// and the documentation all use these names.
/// </summary>
internal static class TypologyKeys
{
    public const string Rate = "rate";
    public const string Transactions = "transactions";
    public const string Accounts = "accounts";
    public const string Hops = "hops";
    public const string Addresses = "addresses";
    public const string Amount = "amount";
    public const string Span = "span";
    public const string Delay = "delay";
    public const string Fee = "fee";
    public const string RoundShare = "round_share";
    public const string NearThresholdShare = "near_threshold_share";
    public const string MerchantShare = "merchant_share";
    public const string FreshAccounts = "fresh_accounts";

    /// <summary>The most instances per 1,000 customers per day.</summary>
    public const double MaxRate = 1_000;

    private const long MaxAmountCents = 1_000_000_000; // R$ 10,000,000

    private static readonly string[] Amounts = [Rate, Amount, RoundShare, NearThresholdShare];
    private static readonly string[] Layering = [.. Amounts, Fee];

    private static readonly Dictionary<string, string[]> ByTypology = new(StringComparer.Ordinal)
    {
        [Typologies.Burst] = [Rate, Transactions, Span],
        [Typologies.Structuring] = [Rate, Transactions, Span, Amount, RoundShare, MerchantShare, FreshAccounts],
        [Typologies.MultipleIps] = [Rate, Transactions, Addresses, Span, Amount],
        [Typologies.NightActivity] = [Rate, Transactions, Span, Amount],
        [Typologies.HighValue] = [Rate, Transactions, Amount, RoundShare],
        [Typologies.MerchantFanIn] = [Rate, Accounts, Span, Amount],
        [Typologies.SharedIp] = [Rate, Accounts, Span, Amount],
        [Typologies.FanIn] = [.. Amounts, Accounts, Span, FreshAccounts],
        [Typologies.FanOut] = [.. Amounts, Accounts, Span, FreshAccounts],
        [Typologies.Cycle] = [.. Layering, Hops, Span, FreshAccounts],
        [Typologies.ScatterGather] = [.. Layering, Accounts, Span, MerchantShare, FreshAccounts],
        [Typologies.GatherScatter] = [.. Layering, Accounts, Span, MerchantShare, FreshAccounts],
        [Typologies.Bipartite] = [.. Amounts, Accounts, Span, FreshAccounts],
        [Typologies.Stack] = [.. Layering, Accounts, Hops, Span, FreshAccounts],
        [Typologies.MulePassThrough] = [.. Layering, Accounts, Hops, Span, Delay, MerchantShare, FreshAccounts],
    };

    /// <summary>The keys the section of <paramref name="typology"/> may set, in the order the file lists them.</summary>
    public static string[] Of(string typology) => ByTypology[typology];

    /// <summary>
    /// The shape with <paramref name="key"/> set from one value, or from two (a range); or the reason it cannot be.
    /// Only the form is checked here; <see cref="Problems"/> checks the limits.
    /// </summary>
    public static (TypologyShape? Shape, string? Error) With(TypologyShape shape, string key, IReadOnlyList<string> values)
    {
        if (key is Rate or RoundShare or NearThresholdShare or MerchantShare or FreshAccounts)
        {
            if (values.Count != 1 || !TryNumber(values[0], out var number))
                return (null, $"must be one number such as 0.25, got {Show(values)}");
            return (key switch
            {
                Rate => shape with { Rate = number },
                RoundShare => shape with { RoundShare = number },
                NearThresholdShare => shape with { NearThresholdShare = number },
                MerchantShare => shape with { MerchantShare = number },
                _ => shape with { FreshAccounts = number },
            }, null);
        }

        if (values.Count is not (1 or 2))
            return (null, $"must be one value or a range [min, max], got {Show(values)}");
        var (low, high) = (values[0], values[^1]);
        switch (key)
        {
            case Transactions or Accounts or Hops or Addresses:
                if (!int.TryParse(low, NumberStyles.None, CultureInfo.InvariantCulture, out var a)
                    || !int.TryParse(high, NumberStyles.None, CultureInfo.InvariantCulture, out var b))
                    return (null, $"must be a whole number or a range such as [2, 6], got {Show(values)}");
                var counts = new ShapeRange<int>(a, b);
                return (key switch
                {
                    Transactions => shape with { Transactions = counts },
                    Accounts => shape with { Accounts = counts },
                    Hops => shape with { Hops = counts },
                    _ => shape with { Addresses = counts },
                }, null);
            case Amount:
                if (!TryCents(low, out var lowCents) || !TryCents(high, out var highCents))
                    return (null, $"must be an amount in reais or a range such as [500, 9999.99], got {Show(values)}");
                return (shape with { AmountCents = new(lowCents, highCents) }, null);
            case Span or Delay:
                if (WindowRules.ParseDuration(low) is not { } lowMs || WindowRules.ParseDuration(high) is not { } highMs)
                    return (null, $"must be a duration or a range such as [10m, 3d] (units ms, s, m, h, d), got {Show(values)}");
                var durations = new ShapeRange<long>(lowMs, highMs);
                return (key == Span ? shape with { SpanMs = durations } : shape with { DelayMs = durations }, null);
            case Fee:
                if (!TryNumber(low, out var lowFee) || !TryNumber(high, out var highFee))
                    return (null, $"must be a share or a range such as [0.005, 0.03], got {Show(values)}");
                return (shape with { Fee = new(lowFee, highFee) }, null);
            default:
                throw new ArgumentOutOfRangeException(nameof(key), key, null);
        }
    }

    /// <summary>Every value of <paramref name="shape"/> outside its limits, as (key, reason).</summary>
    public static IEnumerable<(string Key, string Message)> Problems(string typology, TypologyShape shape)
    {
        foreach (var key in Of(typology))
        {
            var problem = key switch
            {
                Rate => Check(shape.Rate, MaxRate, " instances per 1,000 customers per day"),
                RoundShare => Check(shape.RoundShare, 1),
                NearThresholdShare => Check(shape.NearThresholdShare, 1),
                MerchantShare => Check(shape.MerchantShare, 1),
                FreshAccounts => Check(shape.FreshAccounts, 1),
                Transactions => Check(shape.Transactions, 1, 1_000),
                Accounts => Check(shape.Accounts, 1, 500),
                Addresses => Check(shape.Addresses, 1, 50),
                Hops => typology switch
                {
                    Typologies.Cycle => Check(shape.Hops, 2, 12),
                    Typologies.Stack => Check(shape.Hops, 2, 8),
                    _ => Check(shape.Hops, 1, 8),
                },
                Amount => Check(shape.AmountCents, 100, MaxAmountCents, FormatReais),
                Span => Check(shape.SpanMs, 1_000, MaxSpanMs(typology), WindowRules.FormatDuration),
                Delay => Check(shape.DelayMs, 1_000, DayClock.DayMs, WindowRules.FormatDuration),
                Fee => Check(shape.Fee, 0, 0.5, Format),
                _ => null,
            };
            if (problem is not null)
                yield return (key, problem);
        }
    }

    /// <summary>
    /// The longest span of a typology: the graph typologies may run over several days; the others are placed inside
    /// one UTC day.
    /// </summary>
    public static long MaxSpanMs(string typology) => Typologies.Graph.Contains(typology) ? 7 * DayClock.DayMs : DayClock.DayMs;

    private static string? Check(double value, double max, string unit = "") =>
        double.IsFinite(value) && value >= 0 && value <= max
            ? null
            : $"must be between 0 and {Format(max)}{unit}, got {Format(value)}";

    private static string? Check(ShapeRange<int> range, int min, int max) =>
        Check(new ShapeRange<long>(range.Min, range.Max), min, max, v => v.ToString(CultureInfo.InvariantCulture));

    private static string? Check<T>(ShapeRange<T> range, T min, T max, Func<T, string> format)
        where T : IComparable<T>
    {
        var shown = $"[{format(range.Min)}, {format(range.Max)}]";
        if (range.Min.CompareTo(min) < 0 || range.Max.CompareTo(max) > 0 || !IsFinite(range.Min) || !IsFinite(range.Max))
            return $"must lie between {format(min)} and {format(max)}, got {shown}";
        return range.Min.CompareTo(range.Max) > 0 ? $"must not start above its end, got {shown}" : null;
    }

    private static bool IsFinite<T>(T value) => value is not double d || double.IsFinite(d);

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static bool TryCents(string text, out long cents)
    {
        cents = 0;
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var reais)
            || reais * 100 != decimal.Truncate(reais * 100) || reais > MaxAmountCents)
            return false;
        cents = (long)(reais * 100);
        return true;
    }

    private static string FormatReais(long cents) => (cents / 100m).ToString("0.##", CultureInfo.InvariantCulture);

    private static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Show(IReadOnlyList<string> values) =>
        values.Count == 1 ? $"'{values[0]}'" : $"[{string.Join(", ", values)}]";
}
