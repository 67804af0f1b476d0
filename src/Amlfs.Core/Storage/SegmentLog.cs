namespace Amlfs.Storage;

/// <summary>
/// An append-only log of records of one kind (<typeparamref name="TRecord"/>, laid out by its
/// <see cref="ILogRecordCodec{TRecord}"/>): a directory of segment files, each named by the sequence of its first record
/// (<c>00000000000000000001.wal</c>), holding framed records (<see cref="LogRecordFrame"/>) inside
/// <see cref="WalSegmentFormat"/>'s header and trailer. Sequences are gapless. <see cref="WriteAheadLog"/> (the accepted
/// transactions) and the decision log are two such logs; everything about durability below holds for both.
/// <para>
/// <see cref="Append"/> encodes into one reused buffer (<see cref="WalSegmentWriter"/>: no allocation per record);
/// <see cref="Commit"/> hands the buffered records to the operating system in one write and then, by
/// <see cref="WalFlushPolicy"/>, fsyncs: one fsync per committed batch at most (group commit). A record is
/// acknowledged once the Commit after it returns. A segment is sealed when the next record would take it past
/// <see cref="WalOptions.SegmentBytes"/>: its trailer is written and fsynced, whatever the policy, before the next
/// segment file is created, so segments become durable in order.
/// </para>
/// <para>
/// Opening (<see cref="WalOpenScan"/>) scans the last segment record by record and checks the header and trailer of
/// every other one. A damaged tail of the last segment is cut off and its size reported in <see cref="TruncatedBytes"/>.
/// Damage anywhere else throws <see cref="InvalidDataException"/> naming the file and byte offset, from
/// <see cref="Open"/> or, for the records inside sealed segments, from <see cref="ReadFrom"/>: acknowledged data is
/// never skipped silently.
/// </para>
/// <para>
/// Single-threaded: one writer calls every method; only the statistics may be read from other threads. An I/O failure
/// while writing leaves the file's tail unknown, so the log refuses further use; opening it again cuts whatever was torn.
/// </para>
/// </summary>
/// <typeparam name="TRecord">The record the log holds.</typeparam>
internal sealed class SegmentLog<TRecord> : IDisposable
{
    private const string LockFileName = ".lock";

    private readonly ILogRecordCodec<TRecord> _codec;
    private readonly WalOptions _options;
    private readonly List<WalSegmentState> _segments;
    private readonly FileStream _lock;
    private readonly WalSegmentWriter _writer;
    private WalSegmentState _activeState;
    private long _nextSequence;
    private long _committedSequence;
    private long _sealedBytes;
    private long _sealedThrough;
    private int _segmentCount;
    private bool _failed;
    private bool _disposed;

    private SegmentLog(ILogRecordCodec<TRecord> codec, string directory, WalOptions options, TimeProvider clock, FileStream lockFile,
        List<WalSegmentState> segments, FileStream active, long truncatedBytes, string? truncation)
    {
        Directory = directory;
        _codec = codec;
        _options = options;
        _lock = lockFile;
        _segments = segments;
        _writer = new WalSegmentWriter(directory, codec.Magic, active, clock);
        _activeState = segments[^1];
        _segmentCount = segments.Count;
        _sealedBytes = segments.Take(segments.Count - 1).Sum(s => s.Bytes);
        _sealedThrough = segments.Count > 1 ? segments[^2].Last : 0;
        _nextSequence = _activeState.Last + 1;
        _committedSequence = _activeState.Last; // what an open finds on disk was committed before
        TruncatedBytes = truncatedBytes;
        Truncation = truncation;
    }

    /// <summary>The directory holding the segment files.</summary>
    public string Directory { get; }

    /// <summary>
    /// The sequence of the last record appended (committed or not); 0 while the log has never held one. Like the
    /// other statistics (<see cref="SegmentCount"/>, <see cref="TotalBytes"/>, <see cref="FsyncCount"/>) it may be read
    /// from any thread, e.g. by a metrics endpoint.
    /// </summary>
    public long LastSequence => Volatile.Read(ref _nextSequence) - 1;

    /// <summary>
    /// The sequence of the last record that <see cref="Commit"/> made durable (as <see cref="WalOptions.FlushPolicy"/>
    /// defines it); readable from any thread. Records after it are appended and not yet committed.
    /// </summary>
    public long CommittedSequence => Volatile.Read(ref _committedSequence);

    /// <summary>The sequence of the oldest record still in the log; <see cref="LastSequence"/> + 1 when it is empty.</summary>
    public long FirstSequence => _segments[0].First;

    /// <summary>The newest event time among the records in the log, or null when it holds none.</summary>
    public long? MaxTimestampMs => _segments.Max(s => s.MaxTimestampMs) is var max && max == long.MinValue ? null : max;

    /// <summary>Bytes cut from the tail of the last segment when the log was opened (0 after a clean shutdown).</summary>
    public long TruncatedBytes { get; }

    /// <summary>What was wrong with the cut tail, with its file and offset; null when nothing was cut.</summary>
    public string? Truncation { get; }

    /// <summary>
    /// The last sequence of the newest sealed segment (0 while none is): records up to it lie in files that never
    /// change again, which <see cref="WalFiles.Read"/> may read from any thread while the writer appends.
    /// </summary>
    public long SealedThrough => Volatile.Read(ref _sealedThrough);

    /// <summary>Segment files, the active one included.</summary>
    public int SegmentCount => Volatile.Read(ref _segmentCount);

    /// <summary>Bytes of every segment, records buffered for the next commit included.</summary>
    public long TotalBytes => Volatile.Read(ref _sealedBytes) + Volatile.Read(ref _activeState).Bytes;

    /// <summary>fsyncs of segment files so far: one per committed batch under <see cref="WalFlushPolicy.Always"/>.</summary>
    public long FsyncCount => _writer.FsyncCount;

    /// <summary>Every segment, oldest first; the last one is the active segment. Writer thread only.</summary>
    public IReadOnlyList<WalSegment> Segments => _segments
        .Select((s, i) => new WalSegment(Path.GetFileName(s.Path), s.First, s.Last, s.MaxTimestampMs, s.Bytes, i == _segments.Count - 1))
        .ToArray();

    /// <summary>
    /// Opens the log in <paramref name="directory"/>, creating the directory and the first segment when needed, and
    /// cuts a torn tail off the last segment (see the class remarks). Only one log may be open on a directory at once.
    /// </summary>
    /// <param name="codec">The layout of its records.</param>
    /// <param name="directory">The log directory.</param>
    /// <param name="options">Segment size and flush policy.</param>
    /// <param name="clock">Times <see cref="WalFlushPolicy.Interval"/>; the system clock when null.</param>
    /// <exception cref="InvalidDataException">A segment is damaged other than at the tail of the last one, or the
    /// segments do not follow each other; the message names the file and byte offset.</exception>
    /// <param name="firstSequence">The sequence of the first record of a log that holds none yet.</param>
    /// <exception cref="IOException">Another log holds the directory, or the file system failed.</exception>
    public static SegmentLog<TRecord> Open(ILogRecordCodec<TRecord> codec, string directory, WalOptions options, TimeProvider? clock = null, long firstSequence = 1)
    {
        ArgumentNullException.ThrowIfNull(codec);
        ArgumentOutOfRangeException.ThrowIfLessThan(firstSequence, 1);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(options);
        if (options.SegmentBytes < WalOptions.MinSegmentBytes)
            throw new ArgumentException($"SegmentBytes must be at least {WalOptions.MinSegmentBytes}", nameof(options));
        if (options.FlushInterval < TimeSpan.Zero)
            throw new ArgumentException("FlushInterval must not be negative", nameof(options));
        directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(directory);
        var lockFile = AcquireLock(codec.LogName, directory);
        try
        {
            var (segments, active, truncated, truncation) = WalOpenScan.Scan(codec, directory, firstSequence);
            return new SegmentLog<TRecord>(codec, directory, options, clock ?? TimeProvider.System, lockFile, segments, active, truncated, truncation);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Buffers <paramref name="record"/> as the next record and returns its sequence. Durable only once
    /// <see cref="Commit"/> returns. Seals the active segment first when the record would overflow it.
    /// </summary>
    /// <exception cref="ArgumentException">The codec cannot lay the record out (a string field longer than 65,535
    /// UTF-8 bytes or not valid UTF-16); nothing was appended.</exception>
    public long Append(TRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ThrowIfUnusable();
        var bound = _codec.MaxRecordBytes(record);
        var active = _segments[^1];
        try
        {
            // The bound, not the exact size, decides the roll: a segment may end a few hundred bytes short of the size.
            if (active.Bytes + bound + WalSegmentFormat.TrailerBytes > _options.SegmentBytes && active.Last >= active.First)
                active = Roll();
            _writer.Reserve(bound);
        }
        catch
        {
            _failed = true;
            throw;
        }

        var sequence = _nextSequence;
        var size = _writer.Add(sequence, record, _codec);
        Volatile.Write(ref _nextSequence, _nextSequence + 1);
        active.Last = sequence;
        active.MaxTimestampMs = Math.Max(active.MaxTimestampMs, _codec.TimestampOf(record));
        active.Bytes += size;
        return sequence;
    }

    /// <summary>
    /// Writes the buffered records to the operating system and then fsyncs by <see cref="WalOptions.FlushPolicy"/>.
    /// When it returns, every appended record survives a crash of the process (and, under
    /// <see cref="WalFlushPolicy.Always"/>, a power failure). Cheap when nothing was appended.
    /// </summary>
    public void Commit()
    {
        ThrowIfUnusable();
        try
        {
            if (_writer.HasBuffered)
                _writer.WriteBuffered();
            if (_writer.Unsynced)
            {
                switch (_options.FlushPolicy)
                {
                    case WalFlushPolicy.Always:
                        _writer.Sync();
                        break;
                    case WalFlushPolicy.Interval when _writer.SinceSync >= _options.FlushInterval:
                        _writer.Sync();
                        break;
                }
            }

            Volatile.Write(ref _committedSequence, _nextSequence - 1);
        }
        catch
        {
            _failed = true;
            throw;
        }
    }

    /// <summary>Commits and fsyncs whatever the policy, e.g. before a snapshot that covers the records.</summary>
    public void Sync()
    {
        Commit();
        try
        {
            if (_writer.Unsynced)
                _writer.Sync();
        }
        catch
        {
            _failed = true;
            throw;
        }
    }

    /// <summary>
    /// The committed records after <paramref name="afterSequence"/>, in order, read lazily across segments through
    /// one buffer. Records appended after a segment's reading began are not included.
    /// </summary>
    /// <exception cref="InvalidDataException">While enumerating: a damaged record, a record out of sequence or a
    /// segment cut short; the message names the file and byte offset.</exception>
    public IEnumerable<LogRecord<TRecord>> ReadFrom(long afterSequence)
    {
        ThrowIfUnusable();
        var segments = _segments.Select(s => (s.Path, s.First)).ToArray();
        var start = Array.FindLastIndex(segments, s => s.First <= afterSequence + 1);
        return WalSegmentScan.Read(_codec, segments, Math.Max(start, 0), afterSequence, long.MaxValue);
    }

    /// <summary>
    /// Deletes, oldest first, the segments whose records all have sequences below <paramref name="sequence"/>; never
    /// the active segment, so the log always knows its next sequence. Returns how many were deleted.
    /// </summary>
    public int DeleteSegmentsBefore(long sequence)
    {
        ThrowIfUnusable();
        var deleted = 0;
        while (_segments.Count > 1 && _segments[0].Last < sequence)
        {
            File.Delete(_segments[0].Path);
            // One directory fsync per file: a crash must not bring back an older segment without the newer ones.
            DirectorySync.Flush(Directory);
            Volatile.Write(ref _sealedBytes, _sealedBytes - _segments[0].Bytes);
            Volatile.Write(ref _segmentCount, _segmentCount - 1);
            _segments.RemoveAt(0);
            deleted++;
        }

        return deleted;
    }

    /// <summary>Writes and, unless the policy is <see cref="WalFlushPolicy.None"/>, fsyncs what is buffered; closes the files.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        try
        {
            if (!_failed)
            {
                if (_writer.HasBuffered)
                    _writer.WriteBuffered();
                if (_writer.Unsynced && _options.FlushPolicy != WalFlushPolicy.None)
                    _writer.Sync();
            }
        }
        finally
        {
            _writer.Dispose();
            _lock.Dispose();
        }
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failed)
            throw new InvalidOperationException("an earlier write to the log failed, so its tail is unknown; open the log again");
    }

    /// <summary>Seals the active segment (trailer, write, fsync) and starts the next one.</summary>
    private WalSegmentState Roll()
    {
        var sealing = _segments[^1];
        sealing.Bytes += _writer.Seal(sealing.Last, sealing.MaxTimestampMs, _nextSequence);
        sealing.Sealed = true;
        var next = new WalSegmentState(_writer.ActivePath, _nextSequence) { Bytes = WalSegmentFormat.HeaderBytes };
        _segments.Add(next);
        Volatile.Write(ref _sealedBytes, _sealedBytes + sealing.Bytes);
        Volatile.Write(ref _sealedThrough, sealing.Last);
        Volatile.Write(ref _segmentCount, _segmentCount + 1);
        Volatile.Write(ref _activeState, next);
        return next;
    }

    private static FileStream AcquireLock(string logName, string directory)
    {
        var path = Path.Combine(directory, LockFileName);
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        }
        catch (IOException e)
        {
            throw new IOException($"the {logName} in {directory} is already open (in this process or another)", e);
        }
    }
}
