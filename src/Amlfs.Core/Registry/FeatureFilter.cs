using System.Globalization;

namespace Amlfs.Registry;

/// <summary>
/// The event filter of an aggregation. Calendar filters read the event's local hour and day of week in the registry's
/// time zone; the amount filter reads cents. Value equality, so that features sharing a filter share a slot.
/// </summary>
public sealed record FeatureFilter
{
    private FeatureFilter(FilterKind kind, int fromHour, int toHour, long minCents, long maxCents)
    {
        Kind = kind;
        FromHour = fromHour;
        ToHour = toHour;
        MinCents = minCents;
        MaxCents = maxCents;
    }

    public static FeatureFilter None { get; } = new(FilterKind.None, 0, 24, 0, long.MaxValue);

    public static FeatureFilter Night { get; } = new(FilterKind.Night, 22, 6, 0, long.MaxValue);

    public static FeatureFilter Weekend { get; } = new(FilterKind.Weekend, 0, 24, 0, long.MaxValue);

    public FilterKind Kind { get; }

    public int FromHour { get; }

    public int ToHour { get; }

    public long MinCents { get; }

    public long MaxCents { get; }

    /// <summary>Local hours <c>[from, to)</c>; from > to wraps past midnight (22-6 is the night).</summary>
    public static FeatureFilter LocalHours(int from, int to)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(from is >= 0 and <= 23, true, nameof(from));
        ArgumentOutOfRangeException.ThrowIfNotEqual(to is >= 0 and <= 24 && to != from, true, nameof(to));
        return new(FilterKind.LocalHours, from, to, 0, long.MaxValue);
    }

    /// <summary>Amounts <c>[minCents, maxCents)</c>.</summary>
    public static FeatureFilter AmountRange(long minCents, long maxCents)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minCents);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxCents, minCents);
        return new(FilterKind.AmountRange, 0, 24, minCents, maxCents);
    }

    /// <summary>Whether an event with this local hour (0-23), local day of week and amount passes.</summary>
    public bool Matches(int localHour, DayOfWeek localDay, long amountCents) => Kind switch
    {
        FilterKind.None => true,
        FilterKind.Night => localHour >= 22 || localHour < 6,
        FilterKind.Weekend => localDay is DayOfWeek.Saturday or DayOfWeek.Sunday,
        FilterKind.LocalHours => FromHour < ToHour
            ? localHour >= FromHour && localHour < ToHour
            : localHour >= FromHour || localHour < ToHour,
        FilterKind.AmountRange => amountCents >= MinCents && amountCents < MaxCents,
        _ => false,
    };

    /// <summary>The filter as the definitions file writes it.</summary>
    public override string ToString() => Kind switch
    {
        FilterKind.None => "",
        FilterKind.Night => "night",
        FilterKind.Weekend => "weekend",
        FilterKind.LocalHours => string.Create(CultureInfo.InvariantCulture, $"local_hours {FromHour:00}-{ToHour:00}"),
        FilterKind.AmountRange => MaxCents == long.MaxValue
            ? string.Create(CultureInfo.InvariantCulture, $"amount >= {MinCents / 100m}")
            : string.Create(CultureInfo.InvariantCulture, $"amount {MinCents / 100m}..{MaxCents / 100m}"),
        _ => Kind.ToString(),
    };
}
