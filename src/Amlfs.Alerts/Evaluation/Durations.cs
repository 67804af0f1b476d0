using System.Globalization;

namespace Amlfs.Alerts.Evaluation;

/// <summary>A duration as an alert's summary says it: in the largest whole unit (1m, 90s, 2h, 7d).</summary>
internal static class Durations
{
    public static string Format(long ms) => ms switch
    {
        _ when ms > 0 && ms % 86_400_000 == 0 => Invariant($"{ms / 86_400_000}d"),
        _ when ms > 0 && ms % 3_600_000 == 0 => Invariant($"{ms / 3_600_000}h"),
        _ when ms > 0 && ms % 60_000 == 0 => Invariant($"{ms / 60_000}m"),
        _ when ms % 1_000 == 0 => Invariant($"{ms / 1_000}s"),
        _ => Invariant($"{ms}ms"),
    };

    public static string Format(TimeSpan span) => Format((long)span.TotalMilliseconds);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
