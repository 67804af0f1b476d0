using Amlfs.Engine;
using Amlfs.Logging;
using Amlfs.Server.Ingestion;
using Amlfs.Synthetic;
using Amlfs.Transactions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Hosting;

/// <summary>
/// Feeds the engine realistic synthetic traffic at the configured rate, through the same ingest pipeline (and so the
/// same write-ahead log) as the API. It paces by the injected clock, sends what is due a few times a second, and
/// backs off when the ingest queue is full.
/// </summary>
internal sealed partial class SyntheticProducer(EmbeddedRuntime runtime, ILogger<SyntheticProducer> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var rate = runtime.Settings.ProducerRate ?? 0;
        var status = runtime.Producer;
        status.Rate = rate;
        status.State = "running";
        var clock = runtime.Clock;
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
                    var batch = new Transaction[(int)Math.Min(due, runtime.Settings.MaxBatchTransactions)];
                    for (var i = 0; i < batch.Length; i++)
                        batch[i] = traffic.Next().Transaction;
                    if (runtime.Pipeline.TryEnqueue(batch, out var completion) == EnqueueResult.Queued)
                    {
                        var statuses = await completion.WaitAsync(stoppingToken);
                        status.Record(batch.Length, statuses.Count(s => s == IngestStatus.Accepted));
                        sent += batch.Length;
                        continue;
                    }
                }

                await Task.Delay(Tick, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
        catch (IngestUnavailableException e)
        {
            status.State = "unhealthy";
            status.Error = e.Message;
            LogFailed(logger, e);
            return;
        }

        status.State = "stopped";
    }

    [LoggerMessage(EventId = AmlfsEventId.ProducerStarted, Level = LogLevel.Information, Message = "Synthetic producer streaming {Rate} transactions per second")]
    private static partial void LogStarted(ILogger logger, double rate);

    [LoggerMessage(EventId = AmlfsEventId.ProducerFailed, Level = LogLevel.Error, Message = "Synthetic producer stopped: ingest is unavailable")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
