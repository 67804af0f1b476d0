using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Transactions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Amlfs.Storage;

/// <summary>
/// The embedded durable store behind one <see cref="FeatureEngine"/>: a <see cref="WriteAheadLog"/> of the accepted
/// transactions in <c>DATA/wal/</c> and engine snapshots in <c>DATA/snapshots/</c>.
/// <para>
/// The host's single writer thread, per batch: <see cref="Ingest"/> (admit, append the accepted transactions to the
/// log, make them durable, publish them to the shards: so the log is exactly the accepted history, and a read never
/// sees a transaction that the log could still lose), wait for the engine to apply them, then acknowledge; and,
/// between batches, <see cref="WriteSnapshot"/> when <see cref="SnapshotDue"/>. Replaying the log in order through a
/// fresh engine accepts every record again with the same watermark, dedup and lateness decisions, which is what makes
/// recovery exact: restart = newest usable snapshot + the records after it, nothing lost or counted twice.
/// </para>
/// <para>Not thread-safe: every method belongs to the writer thread.</para>
/// </summary>
public sealed partial class EmbeddedStore : IDisposable
{
    /// <summary>Records fed to the engine per <c>IngestBatch</c> call during recovery.</summary>
    public const int ReplayBatch = 4096;

    private const long ProgressEvery = 1_000_000;
    private const int NotAcceptedShown = 10;
    private readonly EmbeddedStoreOptions _options;
    private readonly FeatureEngine _engine;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly DataDirectoryLock _lock;
    private readonly WriteAheadLog _wal;
    private readonly SnapshotFiles _snapshots;
    private readonly long _retentionMs;
    private long _snapshotSequence;
    private long _rolledSequence;
    private long _decidedSequence;
    private long _lastSnapshotAt;
    private long[] _sequences = new long[256];

    private EmbeddedStore(EmbeddedStoreOptions options, FeatureEngine engine, TimeProvider clock, ILogger logger,
        DataDirectoryLock directoryLock, WriteAheadLog wal, SnapshotFiles snapshots)
    {
        _options = options;
        _lock = directoryLock;
        _engine = engine;
        _clock = clock;
        _logger = logger;
        _wal = wal;
        _snapshots = snapshots;
        _retentionMs = (long)(options.LogRetention ?? DefaultRetention(engine.Plan.Definition)).TotalMilliseconds;
        _lastSnapshotAt = clock.GetTimestamp();
        Recovery = new RecoveryReport(null, 0, 0, 0, 0, 0, TimeSpan.Zero);
    }

    /// <summary>What opening the store did.</summary>
    public RecoveryReport Recovery { get; private set; }

    /// <summary>The log, for its statistics and for reading the accepted history (e.g. to roll it into the offline store).</summary>
    public WriteAheadLog Log => _wal;

    /// <summary>The sequence of the last logged record; the engine's state covers records up to it once committed.</summary>
    public long LastSequence => _wal.LastSequence;

    /// <summary>The sequence covered by the newest snapshot written or restored, or 0.</summary>
    public long SnapshotSequence => _snapshotSequence;

    /// <summary>
    /// The log sequence up to which the records are in the offline store (rolled), as the roller last reported it;
    /// any thread may set and read it. Under <see cref="EmbeddedStoreOptions.RetainUnrolledLog"/> retention never deletes
    /// a segment holding a record after it. It only moves forward.
    /// </summary>
    public long RolledSequence
    {
        get => Volatile.Read(ref _rolledSequence);
        set
        {
            var current = Volatile.Read(ref _rolledSequence);
            while (value > current && Interlocked.CompareExchange(ref _rolledSequence, value, current) != current)
                current = Volatile.Read(ref _rolledSequence);
        }
    }

    /// <summary>
    /// The log sequence up to which every record's decision is durable in the decision log, as the decision stream last
    /// reported it; any thread may set and read it. Under <see cref="EmbeddedStoreOptions.RetainUndecidedLog"/>
    /// retention never deletes a segment holding a record after it. It only moves forward.
    /// </summary>
    public long DecidedSequence
    {
        get => Volatile.Read(ref _decidedSequence);
        set
        {
            var current = Volatile.Read(ref _decidedSequence);
            while (value > current && Interlocked.CompareExchange(ref _decidedSequence, value, current) != current)
                current = Volatile.Read(ref _decidedSequence);
        }
    }

    /// <summary>The log's settings (segment size, flush policy), for the logs that keep the same durability.</summary>
    public WalOptions LogOptions => _options.ToWalOptions();

    /// <summary>
    /// Whether the writer should call <see cref="WriteSnapshot"/>: records were logged since the last snapshot, and
    /// either <see cref="EmbeddedStoreOptions.SnapshotEveryRecords"/> of them or <see cref="EmbeddedStoreOptions.SnapshotInterval"/> passed.
    /// </summary>
    public bool SnapshotDue
    {
        get
        {
            var records = _wal.LastSequence - _snapshotSequence;
            return records > 0
                && (records >= _options.SnapshotEveryRecords || _clock.GetElapsedTime(_lastSnapshotAt) >= _options.SnapshotInterval);
        }
    }

    /// <summary>
    /// Opens the store in <see cref="EmbeddedStoreOptions.DataDirectory"/>, holding its <see cref="DataDirectoryLock"/>
    /// until disposed, and recovers <paramref name="engine"/>, which
    /// must not have ingested anything: the newest snapshot whose checksum holds and that the engine restores (a damaged
    /// one, or one written for other definitions, falls back to the next older one, and then to the whole log), then every log
    /// record after it through a <see cref="Replay"/> (<c>IngestBatch</c> in batches of <see cref="ReplayBatch"/>), then
    /// <c>engine.Flush()</c>.
    /// </summary>
    /// <param name="options">Validated settings.</param>
    /// <param name="engine">A fresh engine; the store does not own it.</param>
    /// <param name="clock">Times snapshots, the interval flush policy and the recovery.</param>
    /// <param name="logger">Receives each notable step (torn tail cut, snapshot skipped, replay progress, recovered).</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    /// <exception cref="InvalidDataException">The log is damaged beyond a torn tail; the message names the segment
    /// file and byte offset.</exception>
    /// <exception cref="DataDirectoryInUseException">Another process (or store) holds the data directory.</exception>
    public static EmbeddedStore Open(EmbeddedStoreOptions options, FeatureEngine engine, TimeProvider clock, ILogger? logger = null)
    {
        logger ??= NullLogger.Instance;
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(clock);
        var errors = options.Validate();
        if (errors.Count > 0)
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        var started = clock.GetTimestamp();
        var root = Path.GetFullPath(options.DataDirectory);
        var directoryLock = DataDirectoryLock.Acquire(root);
        WriteAheadLog? wal = null;
        try
        {
            wal = WriteAheadLog.Open(Path.Combine(root, "wal"), options.ToWalOptions(), clock);
            if (wal.Truncation is not null)
                LogTailCut(logger, wal.TruncatedBytes, wal.Truncation);
            var store = new EmbeddedStore(options, engine, clock, logger, directoryLock, wal, new SnapshotFiles(Path.Combine(root, "snapshots")));
            store.Recover(started);
            return store;
        }
        catch
        {
            wal?.Dispose();
            directoryLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Ingests a batch durably, writing each transaction's outcome to <paramref name="statuses"/>, in the one order
    /// that keeps every read durable: the engine admits the batch (nothing visible yet); the accepted transactions
    /// are appended to the log, which gives each its sequence; the log commits them (fsync per
    /// <see cref="EmbeddedStoreOptions.FlushPolicy"/>); only then does the engine publish them to its shards under
    /// the log's sequences. Returns how many were accepted. Acknowledge after <c>engine.Flush()</c>.
    /// <para>
    /// When the log cannot be written this throws (<see cref="IOException"/> and the like) with nothing of the
    /// batch published: the caller must stop ingest, since the engine admitted what it will never see.
    /// </para>
    /// </summary>
    public int Ingest(ReadOnlySpan<Transaction> batch, Span<IngestStatus> statuses)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statuses.Length, batch.Length, nameof(statuses));
        _engine.Admit(batch, statuses);
        if (_sequences.Length < batch.Length)
            _sequences = new long[Math.Max(batch.Length, _sequences.Length * 2)];
        var sequences = _sequences.AsSpan(0, batch.Length);
        var appended = 0;
        for (var i = 0; i < batch.Length; i++)
        {
            if (statuses[i] != IngestStatus.Accepted)
                continue;
            sequences[i] = _wal.Append(batch[i]);
            appended++;
        }

        if (appended == 0)
            return 0;
        _wal.Commit();
        _engine.Publish(batch, statuses, sequences);
        return appended;
    }

    /// <summary>
    /// Makes what the log holds durable per <see cref="EmbeddedStoreOptions.FlushPolicy"/>: under the interval policy
    /// the writer calls it while idle, so the last records before a pause do not wait for the next batch.
    /// </summary>
    public void Commit() => _wal.Commit();

    /// <summary>
    /// Writes a snapshot of the engine covering every record logged so far, keeps the newest
    /// <see cref="EmbeddedStoreOptions.KeepSnapshots"/>, and deletes log segments that the oldest kept snapshot covers
    /// and that lie wholly before the retention horizon. Call it from the writer thread between batches, after
    /// <see cref="Commit"/>, so that the engine's state covers exactly the records up to <see cref="LastSequence"/>.
    /// </summary>
    public SnapshotFile WriteSnapshot()
    {
        // A snapshot must never cover records that the log could still lose, whatever the flush policy.
        _wal.Sync();
        var sequence = _wal.LastSequence;
        var started = _clock.GetTimestamp();
        var file = _snapshots.Write(sequence, _engine.WriteSnapshot);
        _snapshotSequence = sequence;
        _lastSnapshotAt = _clock.GetTimestamp();
        _snapshots.Prune(_options.KeepSnapshots);

        // Segments are deleted up to the OLDEST kept snapshot: each kept snapshot stays usable with the log after it.
        var covered = _snapshots.List().Min(s => s.Sequence);
        var newest = _engine.Watermark?.ToUnixTimeMilliseconds() ?? _wal.MaxTimestampMs ?? long.MinValue;
        var horizon = newest == long.MinValue ? long.MinValue : newest - _retentionMs;
        var rolled = _options.RetainUnrolledLog ? RolledSequence : long.MaxValue;
        var decided = _options.RetainUndecidedLog ? DecidedSequence : long.MaxValue;
        var deleted = _wal.DeleteSegmentsBefore(RetentionCut(_wal.Segments, Math.Min(covered, Math.Min(rolled, decided)), horizon));
        LogSnapshotWritten(_logger, sequence, (long)_clock.GetElapsedTime(started).TotalMilliseconds, deleted, _wal.SegmentCount);
        return file;
    }

    /// <summary>
    /// Closes the log (writing and, unless the policy is None, fsyncing what is buffered) and releases the data
    /// directory. The engine is the caller's.
    /// </summary>
    public void Dispose()
    {
        try
        {
            _wal.Dispose();
        }
        finally
        {
            _lock.Dispose();
        }
    }

    /// <summary>
    /// The first sequence to keep: segments are deletable, oldest first and stopping at the first that is not, when
    /// they are sealed, all their records are covered by the snapshot (and, when the log rolls into the offline store,
    /// rolled: the caller passes the smaller of the two sequences), and their newest event is before the horizon.
    /// </summary>
    internal static long RetentionCut(IReadOnlyList<WalSegment> segments, long coveredSequence, long horizonMs)
    {
        long cut = 0;
        foreach (var segment in segments)
        {
            if (segment.IsActive || segment.LastSequence > coveredSequence || segment.MaxTimestampMs >= horizonMs)
                break;
            cut = segment.LastSequence + 1;
        }

        return cut;
    }

    /// <summary>The log retention used when none is configured; see <see cref="EmbeddedStoreOptions.LogRetention"/>.</summary>
    internal static TimeSpan DefaultRetention(RegistryDefinition definition) => TimeSpan.FromMilliseconds(Math.Max(
        definition.DedupRetentionMs, WindowRules.MaxWindowMs + WindowRules.MaxHopMs + definition.QueryHistoryMs));

    private void Recover(long started)
    {
        long? used = null;
        var skipped = 0;
        foreach (var candidate in _snapshots.List())
        {
            if (TryRestore(candidate))
            {
                used = candidate.Sequence;
                break;
            }

            skipped++;
        }

        if (used is null && _wal.FirstSequence > 1)
            LogRebuildingFromShortenedLog(_logger, _wal.FirstSequence, WindowRules.FormatDuration(_retentionMs));
        // The replay hands the engine each record's own sequence, and live ingest later takes the log's next ones.
        var (replayed, notAccepted) = ReplayLog(used ?? 0);
        _engine.Flush();
        _snapshotSequence = used ?? 0;
        Recovery = new RecoveryReport(used, skipped, replayed, notAccepted, _wal.TruncatedBytes, _wal.LastSequence,
            _clock.GetElapsedTime(started));
        LogRecovered(_logger, _wal.LastSequence, used is { } s ? $"snapshot {s}" : "no snapshot", replayed, notAccepted, (long)Recovery.Elapsed.TotalMilliseconds);
    }

    private bool TryRestore(SnapshotFile candidate)
    {
        var name = Path.GetFileName(candidate.Path);
        if (candidate.Sequence > _wal.LastSequence)
        {
            LogSnapshotSkipped(_logger, name, $"it covers sequence {candidate.Sequence} but the log ends at {_wal.LastSequence}");
            return false;
        }

        if (candidate.Sequence < _wal.FirstSequence - 1)
        {
            LogSnapshotSkipped(_logger, name, $"the log no longer holds the records after it (it starts at {_wal.FirstSequence})");
            return false;
        }

        if (!SnapshotFiles.TryOpen(candidate, out var stream, out var problem))
        {
            LogSnapshotSkipped(_logger, name, problem);
            return false;
        }

        using (stream)
        {
            try
            {
                if (_engine.TryRestoreSnapshot(stream))
                {
                    LogSnapshotRestored(_logger, name, candidate.Sequence);
                    return true;
                }
            }
            catch (InvalidDataException e)
            {
                // The checksum held, so the file is as written and the engine's own format is at fault; a failed
                // restore leaves the engine empty, so the next candidate can still be tried.
                LogSnapshotSkipped(_logger, name, $"the engine could not read it: {e.Message}");
                return false;
            }
        }

        LogSnapshotSkipped(_logger, name, "written for other definitions or another shard layout");
        return false;
    }

    /// <summary>Feeds every log record after <paramref name="afterSequence"/> to the engine, each under its own sequence.</summary>
    private (long Replayed, long NotAccepted) ReplayLog(long afterSequence)
    {
        long notAccepted = 0;
        var progress = ProgressEvery;
        long replayed = 0;
        var records = _wal.ReadFrom(afterSequence).Select(r => new ReplayEvent(r.Transaction, r.Sequence));
        using var replay = new Replay(_engine, records, (transactions, sequences, statuses) =>
        {
            for (var i = 0; i < statuses.Length; i++)
            {
                if (statuses[i] != IngestStatus.Accepted && notAccepted++ < NotAcceptedShown)
                    LogReplayNotAccepted(_logger, transactions[i].TransactionId, sequences[i], statuses[i]);
            }

            replayed += transactions.Length;
            if (replayed >= progress)
            {
                LogReplayProgress(_logger, replayed, sequences[^1], _wal.LastSequence);
                progress += ProgressEvery;
            }
        }, ReplayBatch);
        replay.FeedRemaining();
        return (replay.Fed, replay.Fed - replay.Accepted);
    }
}
