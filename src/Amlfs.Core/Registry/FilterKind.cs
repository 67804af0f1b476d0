namespace Amlfs.Registry;

/// <summary>Which events a filtered aggregation keeps.</summary>
public enum FilterKind
{
    /// <summary>Every event.</summary>
    None,

    /// <summary>Local hour at or after 22 or before 6.</summary>
    Night,

    /// <summary>Local Saturday or Sunday.</summary>
    Weekend,

    /// <summary>Local hour in <c>[FromHour, ToHour)</c>, wrapping past midnight when FromHour > ToHour.</summary>
    LocalHours,

    /// <summary>Amount in <c>[MinCents, MaxCents)</c>.</summary>
    AmountRange,

    /// <summary>Amount a whole multiple of <c>MinCents</c> (round amounts: 100.00, 1,000.00).</summary>
    MultipleOf,
}
