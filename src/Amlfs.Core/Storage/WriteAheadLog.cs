using System.Buffers;
using Amlfs.Transactions;

namespace Amlfs.Storage;

/// <summary>
/// The write-ahead log of accepted transactions: a directory of segment files, each named by the sequence of its first
/// record (<c>00000000000000000001.wal</c>), holding records of <see cref="WalRecordCodec"/>'s layout inside
/// <see cref="WalSegmentFormat"/>'s header and trailer. Sequences are gapless and start at 1.
/// <para>
/// <see cref="Append"/> encodes into one reused buffer (no allocation per record); <see cref="Commit"/> hands the
/// buffered records to the operating system in one write and then, by <see cref="WalFlushPolicy"/>, fsyncs: one fsync
/// per committed batch at most (group commit). A record is acknowledged once the Commit after it returns. A segment is
/// sealed when the next record would take it past <see cref="WalOptions.SegmentBytes"/>: its trailer is written and
/// fsynced, whatever the policy, before the next segment file is created, so segments become durable in order.
/// </para>
/// <para>
/// Opening scans the last segment record by record and checks the header and trailer of every other one. A damaged
/// tail of the last segment (a partial record, a checksum mismatch, zero-filled bytes: what a crash in the middle of a
/// write leaves) is cut off and its size reported in <see cref="TruncatedBytes"/>. Damage anywhere else, a gap between
/// segments, or a record out of sequence throws <see cref="InvalidDataException"/> naming the file and byte offset,
/// from <see cref="Open"/> or, for the records inside sealed segments, from <see cref="ReadFrom"/>: acknowledged data
/// is never skipped silently.
/// </para>
/// <para>
/// Single-threaded: one writer calls every method; only the statistics may be read from other threads. An I/O failure while writing leaves the file's tail unknown, so the
/// log refuses further use; opening it again cuts whatever was torn.
/// </para>
/// </summary>
public sealed class WriteAheadLog : IDisposable
{
    private const string LockFileName = ".lock";

    // Holds any record (at most about 590 KB: nine strings of 65,535 bytes) and bounds the memory of a huge batch: a
    // full buffer is handed to the OS before Commit, which is harmless because nothing in it is acknowledged yet.
    private const int BufferBytes = 1 << 20;

    private readonly WalOptions _options;
    private readonly TimeProvider _clock;
    private readonly List<SegmentState> _segments;
    private readonly FileStream _lock;
    private FileStream _active;
    private byte[] _buffer;
    private int _buffered;
    private SegmentState _activeState;
    private long _nextSequence;
    private long _committedSequence;
    private long _sealedBytes;
    private long _sealedThrough;
    private int _segmentCount;
    private long _fsyncs;
    private long _lastSync;
    private bool _unsynced;
    private bool _failed;
    private bool _disposed;

    private WriteAheadLog(string directory, WalOptions options, TimeProvider clock, FileStream lockFile,
        List<SegmentState> segments, FileStream active, long truncatedBytes, string? truncation)
    {
        Directory = directory;
        _options = options;
        _clock = clock;
        _lock = lockFile;
        _segments = segments;
        _active = active;
        _activeState = segments[^1];
        _segmentCount = segments.Count;
        _sealedBytes = segments.Take(segments.Count - 1).Sum(s => s.Bytes);
        _sealedThrough = segments.Count > 1 ? segments[^2].Last : 0;
        _nextSequence = _activeState.Last + 1;
        _committedSequence = _activeState.Last; // what an open finds on disk was committed before
        _buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        _lastSync = clock.GetTimestamp();
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
    public long FsyncCount => Volatile.Read(ref _fsyncs);

    /// <summary>Every segment, oldest first; the last one is the active segment. Writer thread only.</summary>
    public IReadOnlyList<WalSegment> Segments => _segments
        .Select((s, i) => new WalSegment(Path.GetFileName(s.Path), s.First, s.Last, s.MaxTimestampMs, s.Bytes, i == _segments.Count - 1))
        .ToArray();

    /// <summary>
    /// Opens the log in <paramref name="directory"/>, creating the directory and the first segment when needed, and
    /// cuts a torn tail off the last segment (see the class remarks). Only one log may be open on a directory at once.
    /// </summary>
    /// <param name="directory">The log directory (the store uses <c>DATA/wal</c>).</param>
    /// <param name="options">Segment size and flush policy.</param>
    /// <param name="clock">Times <see cref="WalFlushPolicy.Interval"/>; the system clock when null.</param>
    /// <exception cref="InvalidDataException">A segment is damaged other than at the tail of the last one, or the
    /// segments do not follow each other; the message names the file and byte offset.</exception>
    /// <exception cref="IOException">Another log holds the directory, or the file system failed.</exception>
    public static WriteAheadLog Open(string directory, WalOptions options, TimeProvider? clock = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(options);
        if (options.SegmentBytes < WalOptions.MinSegmentBytes)
            throw new ArgumentException($"SegmentBytes must be at least {WalOptions.MinSegmentBytes}", nameof(options));
        if (options.FlushInterval < TimeSpan.Zero)
            throw new ArgumentException("FlushInterval must not be negative", nameof(options));
        directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(directory);
        var lockFile = AcquireLock(directory);
        try
        {
            var files = System.IO.Directory.EnumerateFiles(directory)
                .Select(path => (Path: path, First: WalSegmentFormat.ParseFileName(Path.GetFileName(path))))
                .Where(f => f.First is not null)
                .Select(f => (f.Path, First: f.First!.Value))
                .OrderBy(f => f.First)
                .ToList();
            var segments = new List<SegmentState>();
            for (var i = 0; i < files.Count - 1; i++)
                segments.Add(CheckSealed(files[i].Path, files[i].First, files[i + 1].First));

            FileStream active;
            long truncated = 0;
            string? truncation = null;
            if (files.Count == 0)
            {
                active = CreateSegment(directory, 1);
                segments.Add(new SegmentState(active.Name, 1) { Bytes = WalSegmentFormat.HeaderBytes });
            }
            else
            {
                var last = RecoverLast(files[^1].Path, files[^1].First, out truncated, out truncation, out active);
                segments.Add(last);
                if (last.Sealed)
                {
                    active.Dispose();
                    active = CreateSegment(directory, last.Last + 1);
                    segments.Add(new SegmentState(active.Name, last.Last + 1) { Bytes = WalSegmentFormat.HeaderBytes });
                }
            }

            return new WriteAheadLog(directory, options, clock ?? TimeProvider.System, lockFile, segments, active, truncated, truncation);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Buffers <paramref name="transaction"/> as the next record and returns its sequence. Durable only once
    /// <see cref="Commit"/> returns. Seals the active segment first when the record would overflow it.
    /// </summary>
    /// <exception cref="ArgumentException">A string field is longer than 65,535 UTF-8 bytes or is not valid UTF-16;
    /// nothing was appended.</exception>
    public long Append(Transaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ThrowIfUnusable();
        var bound = WalRecordCodec.MaxRecordBytes(transaction);
        var active = _segments[^1];
        try
        {
            // The bound, not the exact size, decides the roll: a segment may end a few hundred bytes short of the size.
            if (active.Bytes + bound + WalSegmentFormat.TrailerBytes > _options.SegmentBytes && active.Last >= active.First)
                active = Roll();
            if (_buffer.Length - _buffered < bound)
                WriteBuffered();
        }
        catch
        {
            _failed = true;
            throw;
        }

        var sequence = _nextSequence;
        var size = WalRecordCodec.Write(_buffer.AsSpan(_buffered), sequence, transaction);
        _buffered += size;
        Volatile.Write(ref _nextSequence, _nextSequence + 1);
        active.Last = sequence;
        active.MaxTimestampMs = Math.Max(active.MaxTimestampMs, transaction.TimestampMs);
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
            if (_buffered > 0)
                WriteBuffered();
            if (_unsynced)
            {
                switch (_options.FlushPolicy)
                {
                    case WalFlushPolicy.Always:
                        SyncActive();
                        break;
                    case WalFlushPolicy.Interval when _clock.GetElapsedTime(_lastSync) >= _options.FlushInterval:
                        SyncActive();
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
            if (_unsynced)
                SyncActive();
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
    public IEnumerable<WalRecord> ReadFrom(long afterSequence)
    {
        ThrowIfUnusable();
        var segments = _segments.Select(s => (s.Path, s.First)).ToArray();
        var start = Array.FindLastIndex(segments, s => s.First <= afterSequence + 1);
        return WalSegmentScan.Read(segments, Math.Max(start, 0), afterSequence, long.MaxValue);
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
                if (_buffered > 0)
                    WriteBuffered();
                if (_unsynced && _options.FlushPolicy != WalFlushPolicy.None)
                    SyncActive();
            }
        }
        finally
        {
            _active.Dispose();
            _lock.Dispose();
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failed)
            throw new InvalidOperationException("an earlier write to the log failed, so its tail is unknown; open the log again");
    }

    private void WriteBuffered()
    {
        _active.Write(_buffer, 0, _buffered);
        _buffered = 0;
        _unsynced = true;
    }

    private void SyncActive()
    {
        _active.Flush(flushToDisk: true);
        _unsynced = false;
        _lastSync = _clock.GetTimestamp();
        Volatile.Write(ref _fsyncs, _fsyncs + 1);
    }

    /// <summary>Seals the active segment (trailer, write, fsync) and starts the next one.</summary>
    private SegmentState Roll()
    {
        var sealing = _segments[^1];
        if (_buffer.Length - _buffered < WalSegmentFormat.TrailerBytes)
            WriteBuffered();
        WalSegmentFormat.WriteTrailer(_buffer.AsSpan(_buffered, WalSegmentFormat.TrailerBytes), sealing.Last, sealing.MaxTimestampMs);
        _buffered += WalSegmentFormat.TrailerBytes;
        sealing.Bytes += WalSegmentFormat.TrailerBytes;
        sealing.Sealed = true;
        WriteBuffered();
        SyncActive();
        _active.Dispose();
        _active = CreateSegment(Directory, _nextSequence);
        var next = new SegmentState(_active.Name, _nextSequence) { Bytes = WalSegmentFormat.HeaderBytes };
        _segments.Add(next);
        Volatile.Write(ref _sealedBytes, _sealedBytes + sealing.Bytes);
        Volatile.Write(ref _sealedThrough, sealing.Last);
        Volatile.Write(ref _segmentCount, _segmentCount + 1);
        Volatile.Write(ref _activeState, next);
        return next;
    }

    /// <summary>Checks a segment that is not the last: valid header, valid trailer, followed by the next one.</summary>
    private static SegmentState CheckSealed(string path, long first, long nextFirst)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        var length = file.Length;
        if (length < WalSegmentFormat.HeaderBytes + WalSegmentFormat.TrailerBytes)
            throw WalSegmentScan.Damaged(path, length, "shorter than a header and a trailer: the segment was cut short");
        Span<byte> bytes = stackalloc byte[WalSegmentFormat.HeaderBytes];
        file.ReadExactly(bytes);
        if (WalSegmentFormat.CheckHeader(bytes, first) is { } problem)
            throw WalSegmentScan.Damaged(path, 0, problem);
        file.Position = length - WalSegmentFormat.TrailerBytes;
        file.ReadExactly(bytes[..WalSegmentFormat.TrailerBytes]);
        if (!WalSegmentFormat.TryReadTrailer(bytes, out var last, out var maxTimestamp))
            throw WalSegmentScan.Damaged(path, file.Position - WalSegmentFormat.TrailerBytes, "no valid trailer: the segment was cut short or damaged");
        if (last < first || last != nextFirst - 1)
            throw WalSegmentScan.Damaged(path, length - WalSegmentFormat.TrailerBytes, $"ends at sequence {last} but the next segment begins at {nextFirst}");
        return new SegmentState(path, first) { Last = last, MaxTimestampMs = maxTimestamp, Bytes = length, Sealed = true };
    }

    /// <summary>
    /// Scans the last segment, cuts a damaged tail, and returns its state with a stream open for appending at its end.
    /// A record with a valid checksum in the wrong place is not a torn write and throws.
    /// </summary>
    private static SegmentState RecoverLast(string path, long first, out long truncated, out string? truncation, out FileStream active)
    {
        var state = new SegmentState(path, first);
        long keep;
        bool writeHeader = false;
        truncation = null;
        long length;
        using (var reader = new WalSegmentReader(path))
        {
            length = reader.Limit;
            var header = reader.ReadHeader();
            if (header.IsEmpty || !header.ContainsAnyExcept((byte)0))
            {
                // Created but its header never reached the disk: a crash during a roll.
                keep = 0;
                writeHeader = true;
                truncation = $"{path}: torn segment header at byte offset 0";
            }
            else
            {
                if (WalSegmentFormat.CheckHeader(header, first) is { } problem)
                    throw WalSegmentScan.Damaged(path, 0, problem);
                keep = ScanRecords(reader, state, out var damage);
                if (damage is not null)
                    truncation = $"{path}: {damage} at byte offset {keep}";
            }
        }

        truncated = length - keep;
        active = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read, bufferSize: 0);
        try
        {
            if (truncated > 0)
            {
                active.SetLength(keep);
                if (writeHeader)
                {
                    Span<byte> header = stackalloc byte[WalSegmentFormat.HeaderBytes];
                    WalSegmentFormat.WriteHeader(header, first);
                    active.Write(header);
                }

                active.Flush(flushToDisk: true); // the cut is durable before anything is appended after it
            }

            active.Seek(0, SeekOrigin.End);
            state.Bytes = active.Length;
            return state;
        }
        catch
        {
            active.Dispose();
            throw;
        }
    }

    /// <summary>Reads records into <paramref name="state"/>; returns the length to keep and, if any, what follows it.</summary>
    private static long ScanRecords(WalSegmentReader reader, SegmentState state, out string? damage)
    {
        damage = null;
        while (true)
        {
            switch (reader.Next())
            {
                case WalSegmentReader.Item.End:
                    return reader.Limit;
                case WalSegmentReader.Item.Damaged:
                    damage = reader.Problem;
                    return reader.Offset;
                case WalSegmentReader.Item.Trailer:
                    if (reader.TrailerLastSequence != state.Last || state.Last < state.First)
                        throw WalSegmentScan.Damaged(reader.Path, reader.Offset, $"trailer declares last sequence {reader.TrailerLastSequence}, the records end at {state.Last}");
                    state.Sealed = true;
                    var end = reader.Offset + WalSegmentFormat.TrailerBytes;
                    if (end < reader.Limit)
                        damage = "bytes after the trailer";
                    return end;
                default:
                    var sequence = WalRecordCodec.SequenceOf(reader.Payload);
                    if (sequence != state.Last + 1)
                        throw WalSegmentScan.Damaged(reader.Path, reader.Offset, $"holds sequence {sequence} where {state.Last + 1} was expected");
                    state.Last = sequence;
                    state.MaxTimestampMs = Math.Max(state.MaxTimestampMs, WalRecordCodec.TimestampOf(reader.Payload));
                    break;
            }
        }
    }

    private static FileStream CreateSegment(string directory, long first)
    {
        var path = Path.Combine(directory, WalSegmentFormat.FileName(first));
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
        try
        {
            Span<byte> header = stackalloc byte[WalSegmentFormat.HeaderBytes];
            WalSegmentFormat.WriteHeader(header, first);
            stream.Write(header);
            stream.Flush(flushToDisk: true);
            DirectorySync.Flush(directory);
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static FileStream AcquireLock(string directory)
    {
        var path = Path.Combine(directory, LockFileName);
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        }
        catch (IOException e)
        {
            throw new IOException($"the write-ahead log in {directory} is already open (in this process or another)", e);
        }
    }

    /// <summary>What the log tracks per segment; <see cref="Bytes"/> of the active one counts buffered records.</summary>
    private sealed class SegmentState(string path, long first)
    {
        public string Path { get; } = path;

        public long First { get; } = first;

        public long Last { get; set; } = first - 1;

        public long MaxTimestampMs { get; set; } = long.MinValue;

        public long Bytes { get; set; }

        public bool Sealed { get; set; }
    }
}
