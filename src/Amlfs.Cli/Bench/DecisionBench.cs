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
/// its ingest service, as <c>POST /transactions</c> batches would be) by several concurrent callers; with decisions on,
/// the clock stops once the last transaction's decision is durable in the decision log.
/// </summary>
internal static class DecisionBench
{
    private const int BatchSize = 500;
    private const int Callers = 4;

    /// <summary>Runs once with decisions off and once on, each on a fresh temporary data directory.</summary>
    public static async Task<DecisionBenchResult> RunAsync(SyntheticOptions options, string? modelDirectory, TimeProvider clock, CancellationToken cancellationToken)
    {
        var stream = SyntheticGenerator.Stream(options, Environment.ProcessorCount).Select(l => l.Transaction).ToArray();
        var off = await MeasureAsync(stream, decisions: false, modelDirectory, clock, cancellationToken).ConfigureAwait(false);
        var on = await MeasureAsync(stream, decisions: true, modelDirectory, clock, cancellationToken).ConfigureAwait(false);
        return new DecisionBenchResult(stream.Length, off.Accepted, off.Seconds, on.Seconds, on.Decided, on.High, on.ModelVersion);
    }

    private static async Task<(long Accepted, double Seconds, long Decided, long High, string ModelVersion)> MeasureAsync(
        Transaction[] stream, bool decisions, string? modelDirectory, TimeProvider clock, CancellationToken cancellationToken)
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
            var batches = stream.Chunk(BatchSize).ToArray();
            long accepted = 0;
            var next = -1;
            var started = Stopwatch.GetTimestamp();
            var callers = Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
            {
                for (var b = Interlocked.Increment(ref next); b < batches.Length; b = Interlocked.Increment(ref next))
                {
                    var outcome = await ingest.IngestAsync(batches[b]).ConfigureAwait(false);
                    Interlocked.Add(ref accepted, outcome.Statuses?.Count(s => s == Engine.IngestStatus.Accepted) ?? 0);
                }
            }, cancellationToken)).ToArray();
            await Task.WhenAll(callers).ConfigureAwait(false);
            if (decisions)
            {
                while (decider.LastDecided < accepted)
                    await Task.Delay(1, cancellationToken).ConfigureAwait(false);
            }

            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
            return (accepted, seconds, decider.Decided, high, version);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
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
