using System.Globalization;

namespace Amlfs.Transactions;

/// <summary>
/// The one rule for reading an instant, in a transaction's <c>timestamp</c> and in an as-of time of a query: an
/// ISO-8601 date and time, <c>2026-03-10T14:05:00Z</c>, with optional fractional seconds and an optional offset
/// (<c>Z</c> or <c>+hh:mm</c>); without an offset it is UTC, never the server's local time. Seconds may be left out
/// (<c>2026-03-10T14:05Z</c>). Dates without a time, other separators and other calendars' spellings are refused,
/// so that a timestamp never depends on how lenient a parser happens to be.
/// </summary>
public static class TransactionTimestamps
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mmK",
    ];

    /// <summary>Parses <paramref name="text"/> by the rule above into a UTC instant.</summary>
    public static bool TryParse(string? text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    /// <summary>Why <paramref name="text"/> is not an instant, for an error message.</summary>
    public static string Problem(string text) =>
        $"must be an ISO-8601 instant such as 2026-03-10T14:05:00.000Z, got '{text}'";

    /// <summary>An instant as the API writes it: UTC with milliseconds, <c>2026-03-10T14:05:00.000Z</c>.</summary>
    public static string Format(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
