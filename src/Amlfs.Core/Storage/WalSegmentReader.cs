using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;

namespace Amlfs.Storage;

/// <summary>
/// Reads the framing of one segment file front to back through one pooled buffer, verifying each record's checksum.
/// It reports what it finds and leaves the judgement to the caller: a damaged record is a torn tail to cut in the last
/// segment and corruption anywhere else. Payloads are returned as spans into the buffer, valid until the next call.
/// </summary>
internal sealed class WalSegmentReader : IDisposable
{
    /// <summary>What <see cref="Next"/> found.</summary>
    public enum Item
    {
        /// <summary>A record with a valid checksum: <see cref="Payload"/>.</summary>
        Record,

        /// <summary>A valid trailer: <see cref="TrailerLastSequence"/>, <see cref="TrailerMaxTimestampMs"/>.</summary>
        Trailer,

        /// <summary>The read limit, exactly at a record boundary.</summary>
        End,

        /// <summary>Bytes that are not a valid record or trailer, starting at <see cref="Offset"/>: <see cref="Problem"/>.</summary>
        Damaged,
    }

    private const int BufferBytes = LogRecordFrame.MaxPayloadBytes + LogRecordFrame.HeaderBytes + WalSegmentFormat.TrailerBytes;
    private readonly FileStream _file;
    private readonly long _limit;
    private byte[] _buffer;
    private long _bufferOffset;
    private int _start;
    private int _end;
    private int _payloadStart;
    private int _payloadLength;

    /// <summary>Opens a segment for reading its first <paramref name="limit"/> bytes (all of it when null).</summary>
    public WalSegmentReader(string path, long? limit = null)
    {
        Path = path;
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        _limit = Math.Min(limit ?? long.MaxValue, _file.Length);
        _buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(BufferBytes, Math.Max(_limit, WalSegmentFormat.HeaderBytes)));
    }

    public string Path { get; }

    /// <summary>The bytes the reader will look at.</summary>
    public long Limit => _limit;

    /// <summary>Where the item last returned by <see cref="Next"/> (or the header) starts in the file.</summary>
    public long Offset { get; private set; }

    /// <summary>What is wrong with the bytes at <see cref="Offset"/> after <see cref="Item.Damaged"/>.</summary>
    public string Problem { get; private set; } = "";

    /// <summary>The payload of the record last returned; valid until the next call.</summary>
    public ReadOnlySpan<byte> Payload => _buffer.AsSpan(_payloadStart, _payloadLength);

    public long TrailerLastSequence { get; private set; }

    public long TrailerMaxTimestampMs { get; private set; }

    /// <summary>The header bytes, or an empty span when the file is shorter than a header.</summary>
    public ReadOnlySpan<byte> ReadHeader()
    {
        Offset = 0;
        if (!Ensure(WalSegmentFormat.HeaderBytes))
            return [];
        var header = _buffer.AsSpan(_start, WalSegmentFormat.HeaderBytes);
        _start += WalSegmentFormat.HeaderBytes;
        return header;
    }

    /// <summary>Reads the next record or trailer; call <see cref="ReadHeader"/> first.</summary>
    public Item Next()
    {
        Offset = _bufferOffset + _start;
        if (Offset >= _limit)
            return Item.End;
        if (!Ensure(LogRecordFrame.HeaderBytes))
            return Damage("partial record header");
        var length = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(_start));
        var checksum = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(_start + 4));
        if (length == WalSegmentFormat.TrailerMarker)
        {
            if (!Ensure(WalSegmentFormat.TrailerBytes))
                return Damage("partial trailer");
            if (!WalSegmentFormat.TryReadTrailer(_buffer.AsSpan(_start, WalSegmentFormat.TrailerBytes), out var last, out var max))
                return Damage("trailer checksum mismatch");
            TrailerLastSequence = last;
            TrailerMaxTimestampMs = max;
            _start += WalSegmentFormat.TrailerBytes;
            return Item.Trailer;
        }

        if (length == 0 && checksum == 0)
            return Damage("zero-filled bytes");
        if (length is < LogRecordFrame.MinPayloadBytes or > LogRecordFrame.MaxPayloadBytes)
            return Damage($"invalid record length {length}");
        var size = LogRecordFrame.HeaderBytes + (int)length;
        if (!Ensure(size))
            return Damage("partial record");
        var payload = _buffer.AsSpan(_start + LogRecordFrame.HeaderBytes, (int)length);
        if (Crc32.HashToUInt32(payload) != checksum)
            return Damage("record checksum mismatch");
        _payloadStart = _start + LogRecordFrame.HeaderBytes;
        _payloadLength = (int)length;
        _start += size;
        return Item.Record;
    }

    public void Dispose()
    {
        _file.Dispose();
        if (_buffer.Length > 0)
            ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private Item Damage(string problem)
    {
        Problem = problem;
        return Item.Damaged;
    }

    /// <summary>Makes <paramref name="count"/> bytes available from <c>_start</c>; false when the limit comes first.</summary>
    private bool Ensure(int count)
    {
        if (_end - _start >= count)
            return true;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _bufferOffset += _start;
            _start = 0;
        }

        if (count > _buffer.Length)
            return false; // more than a valid record can take; the caller reports the length as damage first
        while (_end < count)
        {
            var want = (int)Math.Min(_buffer.Length - _end, _limit - (_bufferOffset + _end));
            if (want <= 0)
                return false;
            var read = _file.Read(_buffer, _end, want);
            if (read == 0)
                return false;
            _end += read;
        }

        return true;
    }
}
