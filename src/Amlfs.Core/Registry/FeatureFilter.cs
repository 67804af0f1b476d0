using System.Globalization;

namespace Amlfs.Registry;

/// <summary>
/// The event filter of an aggregation. Calendar filters read the event's local hour and day of week in the registry's
/// time zone; the amount filter reads cents. Value equality, so that features sharing a filter share a slot.
/// </summary>
public sealed record FeatureFilter
{
    private FeatureFilter(FilterKind kind, int fromHour, int toHour, long minCents, long maxCents, EdgeDirection direction = EdgeDirection.Outflow)
    {
        Direction = direction;
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

    /// <summary>Which of the entity's events pass: its outflows (the default), its inflows, or both.</summary>
    public EdgeDirection Direction { get; }

    /// <summary>This filter counting the events of <paramref name="direction"/>.</summary>
    public FeatureFilter WithDirection(EdgeDirection direction) =>
        direction == Direction ? this : new(Kind, FromHour, ToHour, MinCents, MaxCents, direction);

    /// <summary>Whether every event passes, inflows included: no calendar or amount condition, both directions.</summary>
    public bool PassesAll => Kind == FilterKind.None && Direction == EdgeDirection.Both;

    /// <summary>Whether every outflow passes: no calendar or amount condition, and outflows counted.</summary>
    public bool PassesAllOutflows => Kind == FilterKind.None && Direction != EdgeDirection.Inflow;

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

    /// <summary>Amounts that are a whole multiple of <paramref name="stepCents"/> (a positive number of cents).</summary>
    public static FeatureFilter MultipleOf(long stepCents)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stepCents, 1);
        return new(FilterKind.MultipleOf, 0, 24, stepCents, long.MaxValue);
    }

    /// <summary>Whether an event with this local hour (0-23), local day of week, amount and direction passes.</summary>
    public bool Matches(int localHour, DayOfWeek localDay, long amountCents, bool inflow) =>
        (Direction == EdgeDirection.Both || inflow == (Direction == EdgeDirection.Inflow))
        && MatchesCalendarAndAmount(localHour, localDay, amountCents);

    private bool MatchesCalendarAndAmount(int localHour, DayOfWeek localDay, long amountCents) => Kind switch
    {
        FilterKind.None => true,
        FilterKind.Night => localHour >= 22 || localHour < 6,
        FilterKind.Weekend => localDay is DayOfWeek.Saturday or DayOfWeek.Sunday,
        FilterKind.LocalHours => FromHour < ToHour
            ? localHour >= FromHour && localHour < ToHour
            : localHour >= FromHour || localHour < ToHour,
        FilterKind.AmountRange => amountCents >= MinCents && amountCents < MaxCents,
        FilterKind.MultipleOf => amountCents % MinCents == 0,
        _ => false,
    };

    /// <summary>The filter's condition as the definitions file writes it; the direction is a property of its own.</summary>
    public override string ToString() => Kind switch
    {
        FilterKind.None => "",
        FilterKind.Night => "night",
        FilterKind.Weekend => "weekend",
        FilterKind.LocalHours => string.Create(CultureInfo.InvariantCulture, $"local_hours {FromHour:00}-{ToHour:00}"),
        FilterKind.AmountRange => MaxCents == long.MaxValue
            ? string.Create(CultureInfo.InvariantCulture, $"amount >= {MinCents / 100m}")
            : string.Create(CultureInfo.InvariantCulture, $"amount {MinCents / 100m}..{MaxCents / 100m}"),
        FilterKind.MultipleOf => string.Create(CultureInfo.InvariantCulture, $"amount multiple of {MinCents / 100m}"),
        _ => Kind.ToString(),
    };
}
