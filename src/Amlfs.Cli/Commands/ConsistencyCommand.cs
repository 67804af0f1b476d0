using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Amlfs.Cli.Consistency;
using Amlfs.Consistency;
using Amlfs.DuckDb;
using Amlfs.Engine;
using Amlfs.Parquet;
using Amlfs.Parquet.FeatureLog;
using Amlfs.Server;
using Amlfs.Server.Hosting;
using Amlfs.Storage;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Amlfs.Cli.Commands;

/// <summary>
/// <c>amlfs consistency</c>: recomputes every logged feature vector offline and reports, per feature, mismatches,
/// missing and extra values. With <c>--data-dir</c> it checks that deployment's feature log against its accepted
/// history (offline store rows with a log sequence, and the write-ahead log); without it, it runs an embedded server
/// with feature logging on a free port, drives it with generated traffic, stops it and checks what it logged.
/// </summary>
internal static class ConsistencyCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var dataDirectory = new Option<string?>("--data-dir")
        {
            Description = "Check this deployment's feature log (the server ran with --log-features); without it, run the self-contained check",
            HelpName = "DIR",
        };
        var transactions = new Option<int>("--transactions") { Description = "Self-contained: transactions to send", DefaultValueFactory = _ => 4000 };
        var requests = new Option<int>("--requests") { Description = "Self-contained: /predict and /features calls", DefaultValueFactory = _ => 4000 };
        var clients = new Option<int>("--clients") { Description = "Self-contained: concurrent clients", DefaultValueFactory = _ => 4 };
        var seed = new Option<int>("--seed") { Description = "Self-contained: seed of the generated traffic", DefaultValueFactory = _ => 42 };
        var command = new Command("consistency", "Recompute every logged feature vector offline and report mismatches per feature")
        {
            dataDirectory, transactions, requests, clients, seed,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(dataDirectory) is { } directory)
                return await CheckAsync(environment, environment.Resolve(directory), null, cancellationToken);
            var traffic = new TrafficOptions(parse.GetValue(transactions), parse.GetValue(requests), parse.GetValue(seed), parse.GetValue(clients));
            if (traffic.Transactions < 1 || traffic.Requests < 1 || traffic.Clients < 1)
            {
                await environment.Error.WriteLineAsync("amlfs consistency: --transactions, --requests and --clients must be at least 1");
                return 1;
            }

            return await SelfContainedAsync(environment, traffic, cancellationToken);
        });
        return command;
    }

    private static async Task<int> SelfContainedAsync(CliEnvironment environment, TrafficOptions options, CancellationToken cancellationToken)
    {
        var console = environment.Console;
        var directory = Path.Combine(Path.GetTempPath(), "amlfs-consistency-" + Guid.NewGuid().ToString("N"));
        try
        {
            TrafficTotals totals;
            var app = AmlfsServer.Build(new ServerSettings
            {
                Port = 0,
                DataDirectory = directory,
                LogLevel = LogLevel.Warning,
                LogFeatures = true,
                FlushPolicy = WalFlushPolicy.None,
                ShardCount = 2,
            }, environment.Clock);
            await using (app)
            {
                await app.StartAsync(cancellationToken);
                var url = AmlfsServer.Address(app);
                console.MarkupLine(CultureInfo.InvariantCulture,
                    "[bold]consistency[/]: embedded server with feature logging at {0}; {1:N0} transactions and {2:N0} requests from {3} clients (seed {4})",
                    url, options.Transactions, options.Requests, options.Clients, options.Seed);
                using (var http = new HttpClient { BaseAddress = url })
                    totals = await new ConsistencyTraffic(http, environment.Clock, options).RunAsync(cancellationToken);
                await app.StopAsync(CancellationToken.None);
            }

            console.MarkupLine(CultureInfo.InvariantCulture,
                "sent {0:N0} transactions ({1:N0} accepted, {2:N0} duplicates, {3:N0} rejected, {4:N0} recorded by /predict), {5:N0} predictions, {6:N0} feature reads: {7:N0} vectors served",
                totals.Transactions, totals.Accepted, totals.Duplicates, totals.Rejected, totals.Recorded, totals.Predicts, totals.FeatureReads, totals.VectorsServed);
            return await CheckAsync(environment, directory, totals, cancellationToken);
        }
        finally
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Runs the check over a data directory; with <paramref name="served"/>, every served vector must be in the log too.</summary>
    private static async Task<int> CheckAsync(CliEnvironment environment, string directory, TrafficTotals? served, CancellationToken cancellationToken)
    {
        var console = environment.Console;
        if (!Directory.Exists(directory))
        {
            await environment.Error.WriteLineAsync($"amlfs consistency: no data directory {directory}");
            return 1;
        }

        var definition = new RegistryStore(directory).Active.Definition;
        var (vectors, dropped) = await FeatureLogFiles.ReadAsync(directory, cancellationToken);
        if (vectors.Count == 0)
        {
            await environment.Error.WriteLineAsync($"amlfs consistency: no logged vectors in {FeatureLogFiles.Directory(directory)}; run the server with --log-features");
            return 1;
        }

        var history = new List<WalRecord>();
        await foreach (var row in TransactionParquetReader.ReadDatasetAsync(directory, cancellationToken))
        {
            // Rows without a log sequence (generated or imported data) are history from before the log, which a
            // backfill may have put into the online state: sequence 0, visible to every logged read.
            history.Add(new WalRecord(row.LogSequence ?? 0, row.Transaction));
        }

        history.AddRange(WalFiles.ReadCommitted(Path.Combine(directory, "wal")));
        var report = ConsistencyCheck.Run(FeaturePlan.Compile(definition), EngineOptions.From(definition), history, vectors, dropped);
        SqlPseudonyms pseudonyms;
        try
        {
            pseudonyms = SqlCommand.Pseudonyms(environment, directory);
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            await environment.Error.WriteLineAsync($"amlfs consistency: {e.Message}");
            return 1;
        }

        Print(console, report, pseudonyms);
        var unlogged = served is null ? 0 : served.VectorsServed - report.Vectors;
        if (served is not null)
            console.MarkupLine(CultureInfo.InvariantCulture, "served {0:N0} vectors, logged {1:N0}", served.VectorsServed, report.Vectors);
        await environment.Output.WriteLineAsync(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["bench"] = "consistency",
            ["vectors"] = report.Vectors,
            ["mismatches"] = report.Mismatches,
            ["mismatched_vectors"] = report.MismatchedVectors,
            ["missing"] = report.Missing,
            ["extra"] = report.Extra,
            ["served_before_late_arrivals"] = report.ServedBeforeLateArrivals,
            ["changed_by_late_arrivals"] = report.ChangedByLateArrivals,
            ["dropped"] = report.Dropped,
            ["history_events"] = report.HistoryEvents,
        }));
        // Self-contained, the whole history and every served vector are at hand, so anything but a perfect match fails.
        var failed = report.Mismatches > 0
            || (served is not null && (report.Missing > 0 || report.Extra > 0 || report.Dropped > 0 || unlogged != 0));
        return failed ? 1 : 0;
    }

    private static void Print(IAnsiConsole console, ConsistencyReport report, SqlPseudonyms pseudonyms)
    {
        var table = new Table().AddColumns("entity", "feature", "compared", "mismatches", "missing", "extra");
        foreach (var f in report.Features)
        {
            table.AddRow(f.Entity, f.Feature, Count(f.Compared), f.Mismatches > 0 ? $"[red]{Count(f.Mismatches)}[/]" : "0",
                Count(f.Missing), Count(f.Extra));
        }

        console.Write(table);
        var summary = new Table().AddColumns("measure", "value");
        summary.AddRow("logged vectors", Count(report.Vectors));
        summary.AddRow("recomputed", Count(report.Recomputed));
        summary.AddRow("vectors with a mismatch", Count(report.MismatchedVectors));
        summary.AddRow("missing vectors (history not in the store)", Count(report.MissingVectors));
        summary.AddRow("served before late arrivals (recomputed without them)", Count(report.ServedBeforeLateArrivals));
        summary.AddRow("  of which an event-time replay alone gives other values", Count(report.ChangedByLateArrivals));
        summary.AddRow("dropped by the logger", Count(report.Dropped));
        summary.AddRow("accepted transactions in the history", Count(report.HistoryEvents));
        console.Write(summary);
        foreach (var m in report.Examples)
        {
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                $"[red]mismatch[/] {m.Vector.Entity} {Shown(pseudonyms, m.Vector.Entity, m.Vector.EntityId)} as of {DateTimeOffset.FromUnixTimeMilliseconds(m.Vector.AsOfMs):O} (log sequence {m.Vector.LogSequence}, {m.Vector.Kind}): {m.Feature} served {m.Served:R}, recomputed {m.Recomputed:R}");
        }
    }

    /// <summary>An entity id as the output shows it: an IP address's or a device id's by its pseudonym.</summary>
    private static string? Shown(SqlPseudonyms pseudonyms, string entity, string id) =>
        pseudonyms.IpEntities.Contains(entity) ? pseudonyms.Pseudonyms.IpAddress(id)
        : pseudonyms.DeviceEntities.Contains(entity) ? pseudonyms.Pseudonyms.DeviceId(id)
        : id;

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
