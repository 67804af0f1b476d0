using System.CommandLine;
using System.Globalization;
using Amlfs.Transactions;

namespace Amlfs.Cli.Commands;

/// <summary>
/// <c>--from</c> and <c>--to</c> of the commands that read a period of the offline store: a UTC day (<c>2026-01-05</c>,
/// its midnight) or an ISO-8601 instant (UTC when it has no offset).
/// </summary>
internal static class PeriodOption
{
    public static Option<DateTimeOffset?> Create(string name, string description) => new(name)
    {
        Description = description + ": a UTC day (2026-01-05) or an ISO-8601 instant",
        HelpName = "DAY|INSTANT",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            if (TransactionTimestamps.TryParse(text, out var instant))
                return instant;
            result.AddError($"{name}: '{text}' is neither a day such as 2026-01-05 nor an ISO-8601 instant such as 2026-01-05T14:30:00Z");
            return null;
        },
    };
}
