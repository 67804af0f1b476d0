using System.CommandLine;
using Amlfs.Audit;
using Amlfs.Retention;
using Spectre.Console;

namespace Amlfs.Cli.Commands;

/// <summary>
/// <c>amlfs retention [--data-dir DIR] [--retain STORE=PERIOD]... [--dry-run]</c>: the sweep the server runs at start
/// and every hour (<see cref="RetentionSweep"/>), run once: per store its period, the first day kept, and the day
/// partitions or files it deleted (or, with <c>--dry-run</c>, would delete). A sweep that deleted something is recorded
/// in the audit trail as <c>cli:USER</c>.
/// </summary>
internal static class RetentionCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var dataDirectory = DataDirectoryOption.Create();
        var retain = RetainOption.Create();
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be deleted, and delete nothing" };
        var command = new Command("retention", "Delete what each store of the data directory holds beyond its retention period (docs/privacy.md)")
        {
            dataDirectory, retain, dryRun,
        };
        command.SetAction(parse =>
        {
            if (RetainOption.Parse(parse.GetValue(retain), out var error) is not { } settings)
            {
                environment.Error.WriteLine($"amlfs retention: {error}");
                return 1;
            }

            var root = environment.Resolve(parse.GetValue(dataDirectory)!);
            if (!Directory.Exists(root))
            {
                environment.Error.WriteLine($"amlfs retention: the data directory {root} does not exist");
                return 1;
            }

            RetentionReport report;
            try
            {
                report = new RetentionSweep(root, settings, environment.Clock).Run(parse.GetValue(dryRun), new AuditLog(root, environment.Clock), CliAudit.Actor);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                environment.Error.WriteLine($"amlfs retention: {e.Message}");
                return 1;
            }

            Print(environment, report);
            return 0;
        });
        return command;
    }

    private static void Print(CliEnvironment environment, RetentionReport report)
    {
        var table = new Table();
        foreach (var column in new[] { "store", "period", "kept from", report.DryRun ? "would delete" : "deleted" })
            table.AddColumn(column);
        foreach (var store in report.Stores)
        {
            table.AddRow(
                store.Store, RetentionSettings.Format(store.Period), store.Cutoff.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                store.Expired.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        environment.Console.Write(table);
        foreach (var store in report.Stores)
        {
            foreach (var path in store.Expired)
                environment.Output.WriteLine($"{(report.DryRun ? "would delete" : "deleted")} {path}");
        }

        environment.Output.WriteLine(report.DryRun
            ? $"dry run: {report.Expired} day partitions or files would be deleted; nothing was"
            : $"{report.Expired} day partitions or files deleted" + (report.Expired > 0 ? "; recorded in the audit trail" : ""));
    }
}
