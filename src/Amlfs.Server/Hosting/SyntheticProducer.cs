using Amlfs.Engine;
using Amlfs.Server.Ingestion;
using Amlfs.Synthetic;
using Amlfs.Transactions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Hosting;

/// <summary>
/// Feeds the engine realistic synthetic traffic at the configured rate, through the same ingest as the API (and so the
/// same write-ahead log). It paces by the injected clock, sends what is due a few times a second, backs off while the
/// ingest queue is full, and stops, unhealthy, once ingest is unavailable.
/// </summary>
internal sealed partial class SyntheticProducer(
    IIngestService ingest, ProducerStatus status, ServerSettings settings, TimeProvider clock, ILogger<SyntheticProducer> logger)
    : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var rate = settings.ProducerRate ?? 0;
        status.Rate = rate;
        status.State = ProducerStatus.Running;
        var traffic = new LiveTraffic(new SyntheticOptions(), clock);
        LogStarted(logger, rate);
        var started = clock.GetTimestamp();
        long sent = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var due = (long)(clock.GetElapsedTime(started).TotalSeconds * rate) + 1 - sent;
                if (due > 0)
                {
                    var batch = new Transaction[(int)Math.Min(due, settings.MaxBatchTransactions)];
                    for (var i = 0; i < batch.Length; i++)
                        batch[i] = traffic.Next().Transaction;
                    var outcome = await ingest.IngestAsync(batch).WaitAsync(stoppingToken);
                    switch (outcome.Failure)
                    {
                        case IngestFailure.None:
                            status.Record(batch.Length, outcome.Statuses.Count(s => s == IngestStatus.Accepted));
                            sent += batch.Length;
                            continue;
                        case IngestFailure.QueueFull:
                            break; // the same number is due again after the tick
                        default:
                            status.State = ProducerStatus.Unhealthy;
                            status.Error = outcome.Detail;
                            LogFailed(logger, outcome.Detail);
                            return;
                    }
                }

                await Task.Delay(Tick, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }

        status.State = ProducerStatus.Stopped;
    }
}
