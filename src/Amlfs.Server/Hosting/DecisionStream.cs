using System.Threading.Channels;
using Amlfs.Decisions;
using Amlfs.Parquet.Decisions;
using Amlfs.Server.Decisions;
using Amlfs.Server.Serving;
using Amlfs.Transactions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Hosting;

/// <summary>
/// Scores every transaction the embedded engine accepts, as it streams in, and appends its decision to the decision
/// log (<see cref="DecisionLogFiles"/>). The ingest writer hands each applied group over without waiting; the stream
/// scores a batch at a time through <see cref="TransactionScorer.DecideAsync"/> (each as of its own time, as
/// <c>/predict</c> would) and writes what it decided every flush interval and on stop, with the highest sequence it
/// decided through. At start it first decides the log's records after that sequence, so a transaction accepted before a
/// crash is decided after the restart; a decision the stream wrote is never written again.
/// </summary>
/// <remarks>Work in progress: records already rolled out of the write-ahead log are not caught up from the offline store.</remarks>
internal sealed partial class DecisionStream(AmlfsRuntime runtime, TransactionScorer scorer, DecisionFeed feed, ServerSettings settings, ILogger<DecisionStream> logger)
    : BackgroundService
{
    private readonly Channel<(Transaction[] Batch, long[] Sequences)> _queue =
        Channel.CreateUnbounded<(Transaction[], long[])>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private long _decided;
    private long _written;

    /// <summary>Transactions decided so far.</summary>
    public long Decided => Volatile.Read(ref _decided);

    /// <summary>Decisions written to the decision log so far.</summary>
    public long Written => Volatile.Read(ref _written);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (runtime is not EmbeddedRuntime embedded)
            return;
        var (_, through) = await DecisionLogFiles.ReadAsync(settings.DataDirectory, stoppingToken).ConfigureAwait(false);
        // Attach first, then catch up to the log's end: a group applied in between is in both, and the sequences tell.
        embedded.Pipeline.OnAccepted((batch, sequences) => _queue.Writer.TryWrite((batch, sequences)));
        var pending = new List<Decision>();
        var caughtUpTo = embedded.Store.Log.LastSequence;
        foreach (var chunk in embedded.Store.Log.ReadFrom(through).TakeWhile(r => r.Sequence <= caughtUpTo).Chunk(4096))
            await DecideAsync(chunk.Select(r => r.Transaction).ToArray(), chunk.Select(r => r.Sequence).ToArray(), pending, stoppingToken).ConfigureAwait(false);
        through = Math.Max(through, caughtUpTo);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                using var due = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                due.CancelAfter(settings.FeatureLogFlushInterval);
                try
                {
                    while (await _queue.Reader.WaitToReadAsync(due.Token).ConfigureAwait(false))
                    {
                        while (_queue.Reader.TryRead(out var item))
                            through = await Take(item, through, pending, stoppingToken).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // The flush interval passed.
                }

                through = await FlushAsync(pending, through, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Stopping: what the writer handed over before the pipeline completed is decided and written.
        while (_queue.Reader.TryRead(out var item))
            through = await Take(item, through, pending, CancellationToken.None).ConfigureAwait(false);
        await FlushAsync(pending, through, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task<long> Take((Transaction[] Batch, long[] Sequences) item, long through, List<Decision> pending, CancellationToken cancellationToken)
    {
        // Skip what the catch-up already decided.
        var start = Array.FindIndex(item.Sequences, s => s > through);
        if (start < 0)
            return through;
        await DecideAsync(item.Batch[start..], item.Sequences[start..], pending, cancellationToken).ConfigureAwait(false);
        return through;
    }

    private async Task DecideAsync(Transaction[] batch, long[] sequences, List<Decision> pending, CancellationToken cancellationToken)
    {
        try
        {
            var decisions = await scorer.DecideAsync(batch, sequences, cancellationToken).ConfigureAwait(false);
            pending.AddRange(decisions);
            Interlocked.Add(ref _decided, batch.Length);
            feed.Publish(decisions);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogStreamFailed(logger, e);
            throw;
        }
    }

    private async Task<long> FlushAsync(List<Decision> pending, long through, CancellationToken cancellationToken)
    {
        if (pending.Count == 0)
            return through;
        var newest = Math.Max(through, pending.Max(d => d.LogSequence));
        try
        {
            await DecisionLogFiles.WriteAsync(settings.DataDirectory, pending, newest, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            LogWriteFailed(logger, pending.Count, e);
            return through;
        }

        Interlocked.Add(ref _written, pending.Count);
        pending.Clear();
        return newest;
    }
}
