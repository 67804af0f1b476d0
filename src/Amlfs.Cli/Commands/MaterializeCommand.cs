using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Amlfs.OfflineStore;
using Amlfs.Parquet.Materialize;
using Amlfs.Parquet.Roll;
using Amlfs.Registry;
using Amlfs.Storage;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Amlfs.Cli.Commands;

/// <summary>
/// <c>amlfs materialize [--roll] [--backfill] [--data-dir DIR]</c>, without a server (it holds the data directory's lock
/// and refuses while a server runs on it):
/// <c>--roll</c> (also what <c>materialize</c> alone does) rolls every write-ahead log record not yet in the offline
/// store into its day partitions, the active segment's included; <c>--backfill</c> builds the online state for the
/// active registry version from history (<see cref="OnlineBackfill"/>) and writes the snapshot the server restores.
/// Both together roll first. Exit code 0 on success, 1 on an error.
/// </summary>
internal static class MaterializeCommand
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static Command Create(CliEnvironment environment)
    {
        var roll = new Option<bool>("--roll") { Description = "Roll the write-ahead log into the offline store (the default when --backfill is not given)" };
        var backfill = new Option<bool>("--backfill") { Description = "Compute the online state of the active definitions from history and write the snapshot the server starts from" };
        var shards = new Option<int>("--shards")
        {
            Description = "Engine shards of the snapshot: must match the server's, which runs one per processor",
            DefaultValueFactory = _ => Environment.ProcessorCount,
            HelpName = "N",
        };
        var dataDirectory = DataDirectoryOption.Create();
        var command = new Command("materialize", "Roll the write-ahead log into the offline store, and backfill the online state from history")
        {
            roll, backfill, shards, dataDirectory,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            environment,
            environment.Resolve(parse.GetValue(dataDirectory)!),
            parse.GetValue(roll) || !parse.GetValue(backfill),
            parse.GetValue(backfill),
            parse.GetValue(shards),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliEnvironment environment, string root, bool roll, bool backfill, int shards, CancellationToken cancellationToken)
    {
        var errors = environment.Error;
        if (shards < 1)
        {
            await errors.WriteLineAsync("error: --shards must be at least 1").ConfigureAwait(false);
            return 1;
        }

        try
        {
            using var held = DataDirectoryLock.Acquire(root);
            if (roll)
                await RollAsync(environment, held, cancellationToken).ConfigureAwait(false);
            if (backfill)
                await BackfillAsync(environment, held, shards, cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or DefinitionException)
        {
            await errors.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static async Task RollAsync(CliEnvironment environment, DataDirectoryLock held, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var wal = WriteAheadLog.Open(Path.Combine(held.Directory, "wal"), new WalOptions { FlushPolicy = WalFlushPolicy.None });
        var roller = await LogRoller.OpenAsync(held.Directory, wal.FirstSequence, logger: new ConsoleLogger(environment.Console), cancellationToken: cancellationToken).ConfigureAwait(false);
        var before = roller.RolledSequence;
        var result = await roller.RollAsync(wal.ReadFrom(before), cancellationToken).ConfigureAwait(false);
        var table = Table("Roll");
        Row(table, "Log records", wal.LastSequence == 0 ? "none" : string.Create(Invariant, $"{wal.FirstSequence:N0} to {wal.LastSequence:N0}"));
        Row(table, "Already rolled through", before.ToString("N0", Invariant));
        Row(table, "Rolled now", string.Create(Invariant, $"{result.Records:N0} records in {result.Files:N0} files"));
        Row(table, "Rolled through", result.RolledSequence.ToString("N0", Invariant));
        Row(table, "Offline store", DatasetLayout.TransactionsDirectory(held.Directory));
        Row(table, "Elapsed", string.Create(Invariant, $"{clock.Elapsed.TotalSeconds:N1} s"));
        environment.Console.Write(table);
    }

    private static async Task BackfillAsync(CliEnvironment environment, DataDirectoryLock held, int shards, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var version = new RegistryStore(held.Directory).Active;
        BackfillResult? result = null;
        await environment.Console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var days = context.AddTask("Replaying days", maxValue: 1);
                result = await OnlineBackfill.RunAsync(held, version.Definition, shards, (done, total) =>
                {
                    days.MaxValue = total;
                    days.Value = done;
                }, new ConsoleLogger(environment.Console), cancellationToken).ConfigureAwait(false);
                days.Value = days.MaxValue;
            }).ConfigureAwait(false);

        var r = result!;
        var table = Table("Backfill");
        Row(table, "Registry version", version.Number.ToString(Invariant));
        Row(table, "Days replayed", r.Days == 0 ? "none: the store holds no history" : string.Create(Invariant, $"{r.Days:N0} ({r.FirstDay:yyyy-MM-dd} to {r.LastDay:yyyy-MM-dd})"));
        Row(table, "Offline store rows", r.OfflineRows.ToString("N0", Invariant));
        Row(table, "Log records not rolled", string.Create(Invariant, $"{r.LogRecords:N0} ({r.LogRecordsAlreadyRolled:N0} more were rolled already)"));
        Row(table, "Rows replayed", string.Create(Invariant, $"{r.OfflineRows + r.LogRecords:N0}: {r.Accepted:N0} accepted, {r.Duplicates:N0} duplicates"));
        foreach (var (entity, count) in r.Entities)
            Row(table, "Entities: " + entity, count.ToString("N0", Invariant));
        Row(table, "Watermark", r.Watermark?.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", Invariant) ?? "none");
        Row(table, "Snapshot", string.Create(Invariant, $"{r.SnapshotPath} (log sequence {r.SnapshotSequence:N0}, {shards} shards)"));
        Row(table, "Elapsed", string.Create(Invariant, $"{clock.Elapsed.TotalSeconds:N1} s"));
        environment.Console.Write(table);
    }

    private static Table Table(string title) =>
        new Table().Border(TableBorder.Rounded).AddColumn(title).AddColumn(new TableColumn("Value"));

    private static void Row(Table table, string name, string value) =>
        table.AddRow(new IRenderable[] { new Text(name), new Text(value) });

    /// <summary>Prints each message of the roll (a batch repaired or kept) as a line of the command's output.</summary>
    private sealed class ConsoleLogger(IAnsiConsole console) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
                console.WriteLine(formatter(state, exception));
        }
    }
}
