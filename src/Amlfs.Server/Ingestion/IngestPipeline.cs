using System.Runtime.InteropServices;
using System.Threading.Channels;
using Amlfs.Engine;
using Amlfs.Storage;
using Amlfs.Transactions;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Ingestion;

/// <summary>
/// The single writer in front of the engine and the write-ahead log. Callers enqueue batches; one thread takes what
/// has accumulated (group commit), admits it into the engine, appends the accepted transactions to the log, commits
/// (fsync per the flush policy), publishes them to the shards, waits until the shards have applied them, and only
/// then completes the callers' tasks. So an acknowledged transaction is durable and already visible to reads
/// (read-your-writes), and no read sees a transaction before it is durable.
/// <para>
/// The queue is bounded in transactions: a full queue refuses new work at once (the API answers 429 with Retry-After)
/// instead of growing without limit. If the log cannot be written, the pipeline stops accepting (503) rather than
/// acknowledge transactions it could lose; a restart recovers everything acknowledged before the failure.
/// </para>
/// </summary>
internal sealed partial class IngestPipeline : IDisposable
{
    /// <summary>Most transactions one group commit takes.</summary>
    private const int GroupLimit = 8192;

    private static readonly TimeSpan IdleCommitInterval = TimeSpan.FromMilliseconds(100);

    private readonly FeatureEngine _engine;
    private readonly EmbeddedStore? _store;
    private readonly ILogger _logger;
    private readonly Channel<IngestWork> _queue = Channel.CreateUnbounded<IngestWork>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _writer;
    private readonly ManualResetEventSlim _resumed = new(initialState: true);
    private readonly Action? _segmentSealed;
    private long _sealedThrough;
    private long _pending;
    private long _groups;
    private volatile Exception? _failure;
    private volatile Action<Transaction[], long[]>? _accepted;
    private volatile Func<bool>? _hold;

    /// <param name="engine">The engine the writer admits into.</param>
    /// <param name="store">The durable store, or null for an engine without one.</param>
    /// <param name="capacity">Transactions the queue holds.</param>
    /// <param name="logger">For failures.</param>
    /// <param name="segmentSealed">Called on the writer thread after a group that sealed a log segment; must not block.</param>
    public IngestPipeline(FeatureEngine engine, EmbeddedStore? store, int capacity, ILogger logger, Action? segmentSealed = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _engine = engine;
        _store = store;
        _segmentSealed = segmentSealed;
        _sealedThrough = store?.Log.SealedThrough ?? 0;
        _logger = logger;
        Capacity = capacity;
        _writer = new Thread(Run) { IsBackground = true, Name = "amlfs-ingest" };
        _writer.Start();
    }

    /// <summary>
    /// Hands every group's accepted transactions, with their log sequences, to <paramref name="accepted"/> once the
    /// shards have applied them and before their callers hear back; called on the writer thread, so it must not block
    /// (the decision stream queues them). One receiver; a later call replaces the earlier one.
    /// </summary>
    public void OnAccepted(Action<Transaction[], long[]> accepted) => _accepted = accepted;

    /// <summary>
    /// Makes the writer wait before each group while <paramref name="behind"/> answers true (polled every millisecond),
    /// or stops waiting with null: back-pressure from a consumer of <see cref="OnAccepted"/> that must not fall too far
    /// behind (the decision stream, which reads features as of each transaction's time within the engine's history).
    /// </summary>
    public void HoldWhile(Func<bool>? behind) => _hold = behind;

    /// <summary>Transactions the queue holds before it refuses more.</summary>
    public int Capacity { get; }

    /// <summary>Transactions enqueued and not yet acknowledged.</summary>
    public long Pending => Volatile.Read(ref _pending);

    /// <summary>Group commits done so far.</summary>
    public long Groups => Volatile.Read(ref _groups);

    /// <summary>Why the pipeline stopped accepting, or null while it works.</summary>
    public Exception? Failure => _failure;

    /// <summary>Whether the writer thread runs (it ends only after <see cref="Complete"/>).</summary>
    public bool IsWriterAlive => _writer.IsAlive;

    /// <summary>
    /// Queues a batch, or returns <see cref="EnqueueResult.Full"/> / <see cref="EnqueueResult.Failed"/> at once.
    /// The task completes with one status per transaction, in order, once they are durable and visible.
    /// </summary>
    public EnqueueResult TryEnqueue(Transaction[] batch, out Task<IngestStatus[]> completion)
    {
        completion = Task.FromResult(Array.Empty<IngestStatus>());
        if (_failure is not null)
            return EnqueueResult.Failed;
        if (batch.Length == 0)
            return EnqueueResult.Queued;
        // A batch larger than the whole capacity is admitted alone when the queue is empty, so it can never starve.
        var pending = Interlocked.Add(ref _pending, batch.Length);
        if (pending > Capacity && pending != batch.Length)
        {
            Interlocked.Add(ref _pending, -batch.Length);
            return EnqueueResult.Full;
        }

        var work = new IngestWork(batch);
        if (!_queue.Writer.TryWrite(work))
        {
            Interlocked.Add(ref _pending, -batch.Length);
            return EnqueueResult.Failed;
        }

        completion = work.Completion.Task;
        return EnqueueResult.Queued;
    }

    /// <summary>
    /// Holds the writer before its next group until the returned handle is disposed: queued work waits, new work
    /// queues up to the capacity. For maintenance and for tests of back-pressure.
    /// </summary>
    public IDisposable Pause()
    {
        _resumed.Reset();
        return new Resume(_resumed);
    }

    /// <summary>Stops taking work, applies and commits everything queued, then returns.</summary>
    public void Complete()
    {
        _queue.Writer.TryComplete();
        _resumed.Set();
        _writer.Join();
    }

    public void Dispose()
    {
        Complete();
        _resumed.Dispose();
    }

    private void Run()
    {
        var works = new List<IngestWork>();
        var transactions = new List<Transaction>(GroupLimit);
        var statuses = new IngestStatus[GroupLimit];
        var reader = _queue.Reader;
        while (true)
        {
            _resumed.Wait();
            if (!reader.TryRead(out var first))
            {
                var waiting = reader.WaitToReadAsync().AsTask();
                while (!waiting.Wait(IdleCommitInterval))
                    CommitIdle();
                if (!waiting.Result)
                    return;
                continue;
            }

            works.Clear();
            transactions.Clear();
            Take(first, works, transactions);
            while (transactions.Count < GroupLimit && reader.TryRead(out var next))
                Take(next, works, transactions);
            if (statuses.Length < transactions.Count)
                statuses = new IngestStatus[transactions.Count];
            while (_hold is { } hold && hold())
                Thread.Sleep(1);
            Write(works, CollectionsMarshal.AsSpan(transactions), statuses.AsSpan(0, transactions.Count));
        }
    }

    /// <summary>
    /// Under the interval flush policy a commit fsyncs only when the interval has passed, so records committed just
    /// before ingest goes quiet would wait for the next batch; committing while idle bounds their exposure.
    /// </summary>
    private void CommitIdle()
    {
        if (_store is null || _failure is not null)
            return;
        try
        {
            _store.Commit();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            _failure = e;
            LogWriteFailed(_logger, e);
        }
    }

    private static void Take(IngestWork work, List<IngestWork> works, List<Transaction> transactions)
    {
        works.Add(work);
        transactions.AddRange(work.Batch);
    }

    private void Write(List<IngestWork> works, ReadOnlySpan<Transaction> transactions, Span<IngestStatus> statuses)
    {
        if (_failure is { } failed)
        {
            Fail(works, transactions.Length, failed);
            return;
        }

        try
        {
            // Admit, append, commit, publish: nothing becomes visible to a read before the log holds it durably.
            int appended;
            if (_store is not null)
            {
                appended = _store.Ingest(transactions, statuses);
            }
            else
            {
                _engine.IngestBatch(transactions, statuses);
                appended = statuses.Count(IngestStatus.Accepted);
            }

            _engine.Flush();
            if (_accepted is { } accepted && appended > 0)
                HandOver(accepted, transactions, statuses, appended);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            _failure = e;
            LogWriteFailed(_logger, e);
            Fail(works, transactions.Length, e);
            return;
        }

        var offset = 0;
        foreach (var work in works)
        {
            var result = statuses.Slice(offset, work.Batch.Length).ToArray();
            offset += work.Batch.Length;
            work.Completion.TrySetResult(result);
        }

        Interlocked.Add(ref _pending, -transactions.Length);
        Interlocked.Increment(ref _groups);
        SignalIfSealed();
        SnapshotIfDue();
    }

    /// <summary>
    /// The accepted transactions of a group and their sequences: consecutive, in order, ending at the log's last (0 for
    /// an engine without a log).
    /// </summary>
    private void HandOver(Action<Transaction[], long[]> accepted, ReadOnlySpan<Transaction> transactions, ReadOnlySpan<IngestStatus> statuses, int count)
    {
        var batch = new Transaction[count];
        var sequences = new long[count];
        var first = _store is null ? 0 : _store.Log.LastSequence - count + 1;
        var k = 0;
        for (var i = 0; i < transactions.Length; i++)
        {
            if (statuses[i] != IngestStatus.Accepted)
                continue;
            batch[k] = transactions[i];
            sequences[k] = _store is null ? 0 : first + k;
            k++;
        }

        accepted(batch, sequences);
    }

    private void SignalIfSealed()
    {
        if (_store is null || _segmentSealed is null || _store.Log.SealedThrough == _sealedThrough)
            return;
        _sealedThrough = _store.Log.SealedThrough;
        _segmentSealed();
    }

    private void SnapshotIfDue()
    {
        if (_store is null || !_store.SnapshotDue)
            return;
        try
        {
            _store.WriteSnapshot();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The log still holds everything: a failed snapshot costs recovery time, not data.
            LogSnapshotFailed(_logger, e);
        }
    }

    private void Fail(List<IngestWork> works, int count, Exception cause)
    {
        foreach (var work in works)
            work.Completion.TrySetException(new IngestUnavailableException("the write-ahead log cannot be written: " + cause.Message, cause));
        Interlocked.Add(ref _pending, -count);
    }

    private sealed class Resume(ManualResetEventSlim resumed) : IDisposable
    {
        public void Dispose() => resumed.Set();
    }

    private sealed class IngestWork(Transaction[] batch)
    {
        public Transaction[] Batch { get; } = batch;

        public TaskCompletionSource<IngestStatus[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
