using System.CommandLine;
using Amlfs.Retention;

namespace Amlfs.Cli.Commands;

/// <summary>The <c>--retain STORE=PERIOD</c> option (repeatable) of the server and of <c>amlfs retention</c>.</summary>
internal static class RetainOption
{
    public static Option<string[]> Create() => new("--retain")
    {
        Description = $"How long a store keeps its records, as STORE=PERIOD (repeatable; PERIOD in days or years of 366 days, e.g. 90d, 5y); stores: {string.Join(", ", RetentionStores.All)}; "
            + "defaults: transactions, decisions, labels 5y; feature_log, dead_letters 90d",
        HelpName = "STORE=PERIOD",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>The default settings with each of <paramref name="assignments"/> applied and checked; null with <paramref name="error"/> naming the bad value.</summary>
    public static RetentionSettings? Parse(IEnumerable<string>? assignments, out string? error)
    {
        var settings = new RetentionSettings();
        try
        {
            foreach (var assignment in assignments ?? [])
                settings = settings.With(assignment);
        }
        catch (FormatException e)
        {
            error = e.Message;
            return null;
        }

        error = settings.Validate() is [_, ..] errors ? string.Join("; ", errors) : null;
        return error is null ? settings : null;
    }
}
