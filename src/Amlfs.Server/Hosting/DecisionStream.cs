using System.Threading.Channels;
using Amlfs.Decisions;
using Amlfs.Engine;
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
/// Sealed segments of the decision log are rolled into the offline store's decisions table in the background, as the
/// write-ahead log's are into its transactions (<see cref="LogRollService"/>, <see cref="DecisionLogRoll"/>), and then
/// deleted; a clean stop rolls the rest.
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
    private readonly DecisionLag _lag = new();
    private long _dropped;
    private long _lastDecided;

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
        if (log.LastSequence < store.Log.FirstSequence - 1)
        {
            // Retention deleted records before they were decided (a data directory from a build without decisions).
            LogCannotCatchUp(logger, log.LastSequence + 1, store.Log.FirstSequence - 1);
            return;
        }

        using var roll = LogRollService.Start(new DecisionLogRoll(log, roller, logger));

        Volatile.Write(ref _lastDecided, log.LastSequence);
        store.DecidedSequence = log.LastSequence;
        // Ingest waits while the decisions trail the newest event by more than half the engine's history (a backfill
        // faster than scoring), so that every transaction is still decided as of its own time. Before the first
        // decision the lag runs from the first transaction waiting: the log's oldest undecided record, or else the
        // first handed over.
        var engine = embedded.Engine;
        var maxLagMs = engine.QueryHistoryMs / 2;
        if (store.Log.CommittedSequence > log.LastSequence)
        {
            foreach (var record in WalFiles.Read(store.Log.Directory, log.LastSequence, log.LastSequence + 1))
                _lag.Waiting(record.Transaction.TimestampMs);
        }

        embedded.Pipeline.OnAccepted((batch, sequences) =>
        {
            _lag.Waiting(batch[0].TimestampMs);
            if (!_queue.Writer.TryWrite((batch, sequences)))
                Interlocked.Increment(ref _dropped);
        });
        embedded.Pipeline.HoldWhile(() => _lag.Trails(engine.Watermark?.ToUnixTimeMilliseconds(), maxLagMs) && log.LastSequence < store.Log.CommittedSequence);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // Whatever the queue did not bring (before the stream attached, or dropped) is read back from the log.
                await CatchUpAsync(log, store, engine, stoppingToken).ConfigureAwait(false);
                using var due = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                due.CancelAfter(settings.FeatureLogFlushInterval);
                try
                {
                    while (await _queue.Reader.WaitToReadAsync(due.Token).ConfigureAwait(false))
                    {
                        await TakeQueuedAsync(log, store, engine, stoppingToken).ConfigureAwait(false);
                        RollSealed(log, roll);
                    }
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // The interval passed: look for records the queue dropped.
                }

                RollSealed(log, roll);
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
        await TakeQueuedAsync(log, store, engine, CancellationToken.None).ConfigureAwait(false);
        await CatchUpAsync(log, store, engine, CancellationToken.None).ConfigureAwait(false);
        await roll.RollRemainingAsync().ConfigureAwait(false);
        log.DeleteSegmentsBefore(roll.RolledSequence + 1);
    }

    /// <summary>Decides what the queue holds, in batches of consecutive sequences; a gap is read back from the log first.</summary>
    private async Task TakeQueuedAsync(DecisionLog log, EmbeddedStore store, FeatureEngine engine, CancellationToken cancellationToken)
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
                await DecideAsync(log, store, engine, transactions, sequences, cancellationToken).ConfigureAwait(false);
                await CatchUpAsync(log, store, engine, cancellationToken, through: item.Sequences[start] - 1).ConfigureAwait(false);
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
                await DecideAsync(log, store, engine, transactions, sequences, cancellationToken).ConfigureAwait(false);
        }

        await DecideAsync(log, store, engine, transactions, sequences, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Decides the write-ahead log's committed records after the decision log's last, through <paramref name="through"/> when given.</summary>
    private async Task CatchUpAsync(DecisionLog log, EmbeddedStore store, FeatureEngine engine, CancellationToken cancellationToken, long? through = null)
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
                await DecideAsync(log, store, engine, transactions, sequences, cancellationToken).ConfigureAwait(false);
        }

        await DecideAsync(log, store, engine, transactions, sequences, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Scores a batch, appends and commits its decisions, reports the horizon to the store and publishes them; empties the lists.</summary>
    private async Task DecideAsync(DecisionLog log, EmbeddedStore store, FeatureEngine engine, List<Transaction> transactions, List<long> sequences, CancellationToken cancellationToken)
    {
        if (transactions.Count == 0)
            return;
        Decision[] decisions;
        try
        {
            decisions = await DecideAsOfAsync(engine, transactions, sequences, cancellationToken).ConfigureAwait(false);
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
        _lag.Decided(decisions.Max(d => d.EventTimeMs));
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
    private Task<Decision[]> DecideAsOfAsync(FeatureEngine engine, List<Transaction> transactions, List<long> sequences, CancellationToken cancellationToken)
    {
        var oldest = engine.Watermark?.ToUnixTimeMilliseconds() - engine.QueryHistoryMs + 3_600_000 ?? long.MinValue;
        return ScoreAsync(transactions, sequences, oldest, cancellationToken);
    }

    /// <summary>
    /// Scores a batch, split over the processors when it is large enough: reading every feature of each transaction's
    /// entities is most of a decision's cost, and the reads of different transactions are independent.
    /// </summary>
    private async Task<Decision[]> ScoreAsync(IReadOnlyList<Transaction> transactions, IReadOnlyList<long> sequences, long oldestMs, CancellationToken cancellationToken)
    {
        var parts = Math.Min(Environment.ProcessorCount, transactions.Count / MinPart);
        if (parts <= 1)
            return await scorer.DecideWithinAsync(transactions, sequences, oldestMs, cancellationToken, observeDrift: true).ConfigureAwait(false);
        var size = (transactions.Count + parts - 1) / parts;
        var scored = await Task.WhenAll(Enumerable.Range(0, parts).Select(p =>
        {
            var from = p * size;
            var count = Math.Min(size, transactions.Count - from);
            var part = transactions.Skip(from).Take(count).ToArray();
            var partSequences = sequences.Skip(from).Take(count).ToArray();
            return Task.Run(
                async () => await scorer.DecideWithinAsync(part, partSequences, oldestMs, cancellationToken, observeDrift: true).ConfigureAwait(false), cancellationToken);
        })).ConfigureAwait(false);
        return [.. scored.SelectMany(d => d)];
    }

    /// <summary>
    /// The decision log's retention, on the stream's thread (the log's one writer): deletes every segment rolled so far,
    /// then wakes the roll when a segment has sealed since.
    /// </summary>
    private static void RollSealed(DecisionLog log, LogRollService roll)
    {
        log.DeleteSegmentsBefore(roll.RolledSequence + 1);
        if (log.SealedThrough > roll.RolledSequence)
            roll.SegmentSealed();
    }
}
