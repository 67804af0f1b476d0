using System.Diagnostics;
using Amlfs.Server;
using Amlfs.Server.Hosting;
using Amlfs.Server.Ingestion;
using Amlfs.Synthetic;
using Amlfs.Transactions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Amlfs.Cli.Bench;

/// <summary>
/// Ingest with streaming decisions off and on: a generated history is posted to an embedded server (in-process, through
/// its ingest service, as <c>POST /transactions</c> batches would be) in order by one caller, as a producer does (callers
/// racing each other would reorder batches by more than the allowed lateness); with decisions on, the clock stops once
/// the last transaction's decision is durable in the decision log.
/// <para>
/// The clock measures the steady state: the first days of the history (<c>warmupDays</c>) are posted, and with decisions
/// on decided, before it starts, so that the entities have reached the sizes their traffic keeps them at and the code
/// is compiled, as in a server that has run for a while; the figures count the transactions after them.
/// </para>
/// </summary>
internal static class DecisionBench
{
    private const int BatchSize = 1000;

    /// <summary>Runs once with decisions off and once on, each on a fresh temporary data directory.</summary>
    public static async Task<DecisionBenchResult> RunAsync(
        SyntheticOptions options, int warmupDays, string? modelDirectory, TimeProvider clock, CancellationToken cancellationToken)
    {
        var stream = SyntheticGenerator.Stream(options, Environment.ProcessorCount).Select(l => l.Transaction).ToArray();
        var measuredFrom = new DateTimeOffset(options.Start.AddDays(warmupDays).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();
        var warmup = Array.FindIndex(stream, t => t.TimestampMs >= measuredFrom);
        var split = (stream[..(warmup < 0 ? stream.Length : warmup)], stream[(warmup < 0 ? stream.Length : warmup)..]);
        var off = await MeasureAsync(split, decisions: false, modelDirectory, clock, cancellationToken).ConfigureAwait(false);
        var on = await MeasureAsync(split, decisions: true, modelDirectory, clock, cancellationToken).ConfigureAwait(false);
        return new DecisionBenchResult(split.Item2.Length, off.Accepted, off.Seconds, on.Seconds, on.Decided, on.High, on.ModelVersion, off.Collections, on.Collections)
        {
            WarmupTransactions = split.Item1.Length,
        };
    }

    private static async Task<(long Accepted, double Seconds, long Decided, long High, string ModelVersion, GcCollections Collections)> MeasureAsync(
        (Transaction[] Warmup, Transaction[] Measured) stream, bool decisions, string? modelDirectory, TimeProvider clock, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("amlfs-bench-decisions-");
        try
        {
            if (modelDirectory is not null)
                CopyDirectory(modelDirectory, Path.Combine(directory.FullName, "models"));
            var settings = new ServerSettings { Port = 0, DataDirectory = directory.FullName, LogLevel = LogLevel.Warning, StreamDecisions = decisions };
            await using var app = AmlfsServer.Build(settings, clock);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var ingest = app.Services.GetRequiredService<IIngestService>();
            var decider = app.Services.GetRequiredService<DecisionStream>();
            var feed = app.Services.GetRequiredService<Server.Decisions.DecisionFeed>();
            long high = 0;
            string version = "";
            using var counting = feed.Subscribe(batch =>
            {
                high += batch.Count(d => d.Level == Scoring.RiskLevel.High);
                version = batch[^1].ModelVersion;
            });
            var warm = await PostAsync(ingest, stream.Warmup, decisions ? decider : null, 0, cancellationToken).ConfigureAwait(false);
            var (warmDecided, warmHigh) = (decider.Decided, high);
            var collections = GcCollections.Now();
            var started = Stopwatch.GetTimestamp();
            var accepted = await PostAsync(ingest, stream.Measured, decisions ? decider : null, warm, cancellationToken).ConfigureAwait(false);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            collections = GcCollections.Now() - collections;
            var decided = decider.Decided - warmDecided;
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
            return (accepted, seconds, decided, high - warmHigh, version, collections);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Posts <paramref name="transactions"/> in batches and, with a <paramref name="decider"/>, waits until the last
    /// accepted one is decided (log sequences count every transaction accepted, <paramref name="acceptedBefore"/> of
    /// them earlier); returns the transactions accepted.
    /// </summary>
    private static async Task<long> PostAsync(
        IIngestService ingest, Transaction[] transactions, DecisionStream? decider, long acceptedBefore, CancellationToken cancellationToken)
    {
        long accepted = 0;
        foreach (var batch in transactions.Chunk(BatchSize))
        {
            var outcome = await ingest.IngestAsync(batch).ConfigureAwait(false);
            accepted += outcome.Statuses?.Count(s => s == Engine.IngestStatus.Accepted) ?? 0;
        }

        while (decider is not null && decider.LastDecided < acceptedBefore + accepted)
            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        return accepted;
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
