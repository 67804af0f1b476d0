using System.Buffers;

namespace Amlfs.Storage;

/// <summary>
/// Writes the active segment of a <see cref="SegmentLog{TRecord}"/>: records are encoded into one reused buffer (no
/// allocation per record), handed to the operating system in one write, and fsynced when the log asks. Sealing writes
/// the trailer, fsyncs, and only then creates the next segment file, so segments become durable in order.
/// </summary>
internal sealed class WalSegmentWriter : IDisposable
{
    // Holds any record (at most about 590 KB: nine strings of 65,535 bytes) and bounds the memory of a huge batch: a
    // full buffer is handed to the OS before Commit, which is harmless because nothing in it is acknowledged yet.
    private const int BufferBytes = 1 << 20;

    private readonly string _directory;
    private readonly byte[] _magic;
    private readonly TimeProvider _clock;
    private FileStream _active;
    private byte[] _buffer;
    private int _buffered;
    private long _lastSync;
    private long _fsyncs;

    public WalSegmentWriter(string directory, ReadOnlySpan<byte> magic, FileStream active, TimeProvider clock)
    {
        _directory = directory;
        _magic = magic.ToArray();
        _active = active;
        _clock = clock;
        _buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        _lastSync = clock.GetTimestamp();
    }

    /// <summary>Whether bytes were written to the active segment since its last fsync.</summary>
    public bool Unsynced { get; private set; }

    /// <summary>Whether records wait in the buffer for the next write.</summary>
    public bool HasBuffered => _buffered > 0;

    /// <summary>Time since the last fsync (or since the writer was made).</summary>
    public TimeSpan SinceSync => _clock.GetElapsedTime(_lastSync);

    /// <summary>fsyncs of segment files so far; readable from any thread.</summary>
    public long FsyncCount => Volatile.Read(ref _fsyncs);

    /// <summary>The active segment file's name.</summary>
    public string ActivePath => _active.Name;

    /// <summary>Makes room for a record of up to <paramref name="bound"/> bytes, writing out the buffer when it is short.</summary>
    public void Reserve(int bound)
    {
        if (_buffer.Length - _buffered < bound)
            WriteBuffered();
    }

    /// <summary>Encodes a record into the buffer (after <see cref="Reserve"/>); returns its size in bytes.</summary>
    public int Add<TRecord>(long sequence, TRecord record, ILogRecordCodec<TRecord> codec)
    {
        var size = codec.Write(_buffer.AsSpan(_buffered), sequence, record);
        _buffered += size;
        return size;
    }

    /// <summary>Hands the buffered records to the operating system in one write.</summary>
    public void WriteBuffered()
    {
        _active.Write(_buffer, 0, _buffered);
        _buffered = 0;
        Unsynced = true;
    }

    /// <summary>fsyncs the active segment.</summary>
    public void Sync()
    {
        _active.Flush(flushToDisk: true);
        Unsynced = false;
        _lastSync = _clock.GetTimestamp();
        Volatile.Write(ref _fsyncs, _fsyncs + 1);
    }

    /// <summary>
    /// Seals the active segment (its trailer, a write, an fsync) and starts the segment whose first record will be
    /// <paramref name="nextFirst"/>. Returns the bytes the trailer added.
    /// </summary>
    public int Seal(long lastSequence, long maxTimestampMs, long nextFirst)
    {
        if (_buffer.Length - _buffered < WalSegmentFormat.TrailerBytes)
            WriteBuffered();
        WalSegmentFormat.WriteTrailer(_buffer.AsSpan(_buffered, WalSegmentFormat.TrailerBytes), lastSequence, maxTimestampMs);
        _buffered += WalSegmentFormat.TrailerBytes;
        WriteBuffered();
        Sync();
        _active.Dispose();
        _active = Create(_directory, nextFirst, _magic);
        return WalSegmentFormat.TrailerBytes;
    }

    /// <summary>Creates a segment file with its header, fsynced along with its directory entry.</summary>
    public static FileStream Create(string directory, long first, ReadOnlySpan<byte> magic)
    {
        var path = Path.Combine(directory, WalSegmentFormat.FileName(first));
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
        try
        {
            Span<byte> header = stackalloc byte[WalSegmentFormat.HeaderBytes];
            WalSegmentFormat.WriteHeader(header, first, magic);
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

    /// <summary>Closes the active segment and returns the buffer; the caller writes and syncs first when it should.</summary>
    public void Dispose()
    {
        _active.Dispose();
        if (_buffer.Length > 0)
            ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
