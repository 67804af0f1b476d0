using System.Threading.Channels;
using Amlfs.Decisions;
using Amlfs.OfflineStore;
using Amlfs.Parquet.Roll;
using Amlfs.Server.Decisions;
using Amlfs.Server.Serving;
using Amlfs.Storage;
using Amlfs.Transactions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Hosting;

/// <summary>
/// Scores every transaction the embedded engine accepts, as it streams in, and appends its decision to the decision log
/// (<see cref="DecisionLog"/>, in <c>DATA/decision_log</c>), then hands it to the <see cref="DecisionFeed"/>.
/// <para>
/// The ingest writer hands each applied group over without waiting (a bounded queue; a full one drops the group). The
/// stream decides in log order only: the decision log's sequences are the write-ahead log's, so whatever it has not
/// decided, whether dropped from the queue, accepted before a crash or while the stream was stopped, it reads back from
/// the write-ahead log's files (<see cref="WalFiles.Read"/>) up to the last committed record. The store keeps those
/// records until they are decided (<see cref="EmbeddedStore.DecidedSequence"/>). Each batch is scored through
/// <see cref="TransactionScorer.DecideAsync"/> (each transaction as of its own time, as <c>/predict</c> would), appended
/// and committed with one group commit; a decision is never written twice or skipped. A learned model's decisions are
/// the live traffic its drift is measured on: each one counts in <see cref="GradientBoostedRiskModel.Drift"/>.
/// </para>
/// <para>
/// Sealed segments of the decision log are rolled into the offline store's decisions table in the background
/// (<see cref="DecisionRoller"/>) and then deleted; a clean stop rolls the rest.
/// </para>
/// </summary>
internal sealed partial class DecisionStream(AmlfsRuntime runtime, TransactionScorer scorer, DecisionFeed feed, ServerSettings settings, ILogger<DecisionStream> logger)
    : BackgroundService
{
    /// <summary>Groups the queue holds before it drops one (the stream then reads them back from the write-ahead log).</summary>
    private const int QueueGroups = 1024;

    /// <summary>Most transactions decided in one batch (one feature read, one group commit).</summary>
    private const int MaxBatch = 4096;

    /// <summary>The fewest transactions worth scoring on a processor of their own.</summary>
    private const int MinPart = 64;

    private readonly Channel<(Transaction[] Batch, long[] Sequences)> _queue =
        Channel.CreateBounded<(Transaction[], long[])>(new BoundedChannelOptions(QueueGroups) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.DropWrite });

    private long _decided;
    private long _decidedTimeMs = long.MinValue;
    private long _dropped;
    private long _lastDecided;
    private Task _roll = Task.CompletedTask;
    private long _rolled;

    /// <summary>Transactions decided so far by this process.</summary>
    public long Decided => Volatile.Read(ref _decided);

    /// <summary>Groups the queue dropped, whose transactions were read back from the write-ahead log.</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>The log sequence of the last decision durable in the decision log (0 before any).</summary>
    public long LastDecided => Volatile.Read(ref _lastDecided);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.StreamDecisions || runtime is not EmbeddedRuntime embedded)
            return;
        var store = embedded.Store;
        var root = settings.DataDirectory;
        using var log = DecisionLog.Open(DatasetLayout.DecisionLogDirectory(root), store.LogOptions, store.Log.FirstSequence);
        if (log.TruncatedBytes > 0)
            LogTailCut(logger, log.TruncatedBytes);
        var roller = await DecisionRoller.OpenAsync(root, log.FirstSequence, logger: logger, cancellationToken: stoppingToken).ConfigureAwait(false);
        _rolled = roller.RolledSequence;
        if (log.LastSequence < store.Log.FirstSequence - 1)
        {
            // Retention deleted records before they were decided (a data directory from a build without decisions).
            LogCannotCatchUp(logger, log.LastSequence + 1, store.Log.FirstSequence - 1);
            return;
        }

        Volatile.Write(ref _lastDecided, log.LastSequence);
        store.DecidedSequence = log.LastSequence;
        embedded.Pipeline.OnAccepted((batch, sequences) =>
        {
            if (!_queue.Writer.TryWrite((batch, sequences)))
                Interlocked.Increment(ref _dropped);
        });
        // Ingest waits while the decisions trail the newest event by more than half the engine's history (a backfill
        // faster than scoring), so that every transaction is still decided as of its own time.
        var engine = embedded.Engine;
        var maxLagMs = engine.QueryHistoryMs / 2;
        embedded.Pipeline.HoldWhile(() => engine.Watermark?.ToUnixTimeMilliseconds() - Volatile.Read(ref _decidedTimeMs) > maxLagMs
            && log.LastSequence < store.Log.CommittedSequence);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // Whatever the queue did not bring (before the stream attached, or dropped) is read back from the log.
                await CatchUpAsync(log, store, stoppingToken).ConfigureAwait(false);
                using var due = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                due.CancelAfter(settings.FeatureLogFlushInterval);
                try
                {
                    while (await _queue.Reader.WaitToReadAsync(due.Token).ConfigureAwait(false))
                    {
                        await TakeQueuedAsync(log, store, stoppingToken).ConfigureAwait(false);
                        RollSealed(log, roller);
                    }
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // The interval passed: look for records the queue dropped.
                }

                RollSealed(log, roller);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch
        {
            embedded.Pipeline.HoldWhile(null);
            throw;
        }

        // Stopping: decide what was handed over and committed, then roll the rest into the offline store.
        embedded.Pipeline.HoldWhile(null);
        await TakeQueuedAsync(log, store, CancellationToken.None).ConfigureAwait(false);
        await CatchUpAsync(log, store, CancellationToken.None).ConfigureAwait(false);
        await _roll.ConfigureAwait(false);
        log.DeleteSegmentsBefore(Volatile.Read(ref _rolled) + 1);
        try
        {
            await roller.RollAsync(log.ReadFrom(roller.RolledSequence), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            LogRollFailed(logger, e);
        }
    }

    /// <summary>Decides what the queue holds, in batches of consecutive sequences; a gap is read back from the log first.</summary>
    private async Task TakeQueuedAsync(DecisionLog log, EmbeddedStore store, CancellationToken cancellationToken)
    {
        var transactions = new List<Transaction>();
        var sequences = new List<long>();
        while (_queue.Reader.TryRead(out var item))
        {
            var start = Array.FindIndex(item.Sequences, s => s > log.LastSequence + transactions.Count);
            if (start < 0)
                continue; // decided already, by a catch-up
            if (item.Sequences[start] != log.LastSequence + transactions.Count + 1)
            {
                // Groups were dropped in between: decide what is collected, then read the gap back from the log.
                await DecideAsync(log, store, transactions, sequences, cancellationToken).ConfigureAwait(false);
                await CatchUpAsync(log, store, cancellationToken, through: item.Sequences[start] - 1).ConfigureAwait(false);
                start = Array.FindIndex(item.Sequences, s => s > log.LastSequence);
                if (start < 0)
                    continue;
            }

            for (var i = start; i < item.Batch.Length; i++)
            {
                transactions.Add(item.Batch[i]);
                sequences.Add(item.Sequences[i]);
            }

            if (transactions.Count >= MaxBatch)
                await DecideAsync(log, store, transactions, sequences, cancellationToken).ConfigureAwait(false);
        }

        await DecideAsync(log, store, transactions, sequences, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Decides the write-ahead log's committed records after the decision log's last, through <paramref name="through"/> when given.</summary>
    private async Task CatchUpAsync(DecisionLog log, EmbeddedStore store, CancellationToken cancellationToken, long? through = null)
    {
        var last = Math.Min(through ?? long.MaxValue, store.Log.CommittedSequence);
        if (last <= log.LastSequence)
            return;
        var transactions = new List<Transaction>();
        var sequences = new List<long>();
        foreach (var record in WalFiles.Read(store.Log.Directory, log.LastSequence, last))
        {
            transactions.Add(record.Transaction);
            sequences.Add(record.Sequence);
            if (transactions.Count >= MaxBatch)
                await DecideAsync(log, store, transactions, sequences, cancellationToken).ConfigureAwait(false);
        }

        await DecideAsync(log, store, transactions, sequences, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Scores a batch, appends and commits its decisions, reports the horizon to the store and publishes them; empties the lists.</summary>
    private async Task DecideAsync(DecisionLog log, EmbeddedStore store, List<Transaction> transactions, List<long> sequences, CancellationToken cancellationToken)
    {
        if (transactions.Count == 0)
            return;
        Decision[] decisions;
        try
        {
            decisions = await DecideAsOfAsync(transactions, sequences, cancellationToken).ConfigureAwait(false);
            foreach (var decision in decisions)
                log.Append(decision);
            log.Commit();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogStreamFailed(logger, e);
            throw;
        }

        Interlocked.Add(ref _decided, decisions.Length);
        Volatile.Write(ref _decidedTimeMs, Math.Max(Volatile.Read(ref _decidedTimeMs), decisions.Max(d => d.EventTimeMs)));
        Volatile.Write(ref _lastDecided, log.CommittedSequence);
        store.DecidedSequence = log.CommittedSequence;
        transactions.Clear();
        sequences.Clear();
        feed.Publish(decisions);
    }

    /// <summary>
    /// Decides each transaction as of its own time; one older than the engine's history (a catch-up after a long stop)
    /// is decided as of the oldest instant the engine holds, an hour inside it, and its decision says so.
    /// </summary>
    private async Task<Decision[]> DecideAsOfAsync(List<Transaction> transactions, List<long> sequences, CancellationToken cancellationToken)
    {
        var engine = ((EmbeddedRuntime)runtime).Engine;
        var oldest = engine.Watermark?.ToUnixTimeMilliseconds() - engine.QueryHistoryMs + 3_600_000 ?? long.MinValue;
        if (transactions.TrueForAll(t => t.TimestampMs >= oldest))
            return await ScoreAsync(transactions, sequences, cancellationToken).ConfigureAwait(false);
        var clamped = transactions.Select(t => t.TimestampMs >= oldest ? t : t with { TimestampMs = oldest }).ToArray();
        var decisions = await ScoreAsync(clamped, sequences, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < decisions.Length; i++)
        {
            if (!ReferenceEquals(clamped[i], transactions[i]))
                decisions[i] = decisions[i] with { EventTimeMs = transactions[i].TimestampMs, FeaturesAsOfMs = oldest };
        }

        return decisions;
    }

    /// <summary>
    /// Scores a batch, split over the processors when it is large enough: reading every feature of each transaction's
    /// entities is most of a decision's cost, and the reads of different transactions are independent.
    /// </summary>
    private async Task<Decision[]> ScoreAsync(IReadOnlyList<Transaction> transactions, IReadOnlyList<long> sequences, CancellationToken cancellationToken)
    {
        var parts = Math.Min(Environment.ProcessorCount, transactions.Count / MinPart);
        if (parts <= 1)
            return await scorer.DecideAsync(transactions, sequences, cancellationToken, observeDrift: true).ConfigureAwait(false);
        var size = (transactions.Count + parts - 1) / parts;
        var scored = await Task.WhenAll(Enumerable.Range(0, parts).Select(p =>
        {
            var from = p * size;
            var count = Math.Min(size, transactions.Count - from);
            var part = transactions.Skip(from).Take(count).ToArray();
            var partSequences = sequences.Skip(from).Take(count).ToArray();
            return Task.Run(async () => await scorer.DecideAsync(part, partSequences, cancellationToken, observeDrift: true).ConfigureAwait(false), cancellationToken);
        })).ConfigureAwait(false);
        return [.. scored.SelectMany(d => d)];
    }

    /// <summary>Deletes segments rolled by the last background roll and starts the next one when a segment has sealed since.</summary>
    private void RollSealed(DecisionLog log, DecisionRoller roller)
    {
        if (!_roll.IsCompleted)
            return;
        log.DeleteSegmentsBefore(Volatile.Read(ref _rolled) + 1);
        var sealedThrough = log.SealedThrough;
        if (sealedThrough <= roller.RolledSequence)
            return;
        var directory = log.Directory;
        var from = roller.RolledSequence;
        _roll = Task.Run(async () =>
        {
            try
            {
                await roller.RollAsync(DecisionLog.ReadFiles(directory, from, sealedThrough)).ConfigureAwait(false);
                Volatile.Write(ref _rolled, roller.RolledSequence);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                LogRollFailed(logger, e);
            }
        });
    }
}
