namespace Amlfs.Registry;

/// <summary>
/// The window rules of the contract: windows up to the exact horizon (1 h) are exact over events; longer windows are
/// tiled with a hop (default 5 min up to 24 h, 1 h up to 7 d, 1 d up to 30 d) and cover <c>[floor_hop(q - W), q)</c>,
/// or, up to 7 d, exact over events when declared with <c>hop: exact</c>.
/// </summary>
public static class WindowRules
{
    public const long ExactHorizonMs = 3_600_000;
    public const long DayMs = 86_400_000L;
    public const long MaxWindowMs = 30 * DayMs;

    /// <summary>The longest window a feature may keep exact over events (<c>hop: exact</c>): what entities keep raw.</summary>
    public const long MaxExactWindowMs = 7 * DayMs;

    public const long MaxHopMs = DayMs;

    /// <summary>At most this many fields per entity may be counted distinct (each costs 8 bytes per stored event).</summary>
    public const int MaxDistinctFields = 6;

    public static long DefaultHopMs(long windowMs) => windowMs <= ExactHorizonMs ? 0
        : windowMs <= DayMs ? 5 * 60_000
        : windowMs <= MaxExactWindowMs ? ExactHorizonMs
        : DayMs;

    /// <summary>Parses "500ms", "60s", "5m", "1h", "7d" to milliseconds; null when the text is not such a duration.</summary>
    public static long? ParseDuration(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        var split = 0;
        while (split < t.Length && char.IsAsciiDigit(t[split]))
            split++;
        if (split == 0 || split == t.Length || split > 12)
            return null;
        var unit = UnitMilliseconds(t[split..]);
        return unit is { } ms ? long.Parse(t.AsSpan(0, split), System.Globalization.CultureInfo.InvariantCulture) * ms : null;
    }

    /// <summary>Duration in milliseconds for a unit suffix (ms, s, m, h, d), or null when the text is not a unit.</summary>
    public static long? UnitMilliseconds(string unit) => unit switch
    {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => null,
    };

    /// <summary>The spelling used in feature names: 60s, 5m, 10m, 1h, 24h, 7d.</summary>
    public static string FormatDuration(long ms) => ms switch
    {
        0 => "0",
        _ when ms % 86_400_000L == 0 && ms > 86_400_000L => $"{ms / 86_400_000L}d",
        _ when ms % 3_600_000 == 0 => $"{ms / 3_600_000}h",
        _ when ms % 60_000 == 0 && ms > 60_000 => $"{ms / 60_000}m",
        _ when ms % 1_000 == 0 => $"{ms / 1_000}s",
        _ => $"{ms}ms",
    };
}
