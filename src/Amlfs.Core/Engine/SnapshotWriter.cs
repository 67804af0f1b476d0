using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text.Unicode;

namespace Amlfs.Engine;

/// <summary>
/// Writes an engine snapshot as a magic string followed by checksummed frames. Layout of a frame:
/// <code>
/// | payload length (int32) | payload (at most BlockSize bytes) | XxHash64 of every byte of the stream before it |
/// </code>
/// A frame with an empty payload ends the snapshot, so its checksum covers everything written. Each frame carries
/// the running checksum, so that a reader verifies a frame before it parses a byte of it: corrupt or truncated input
/// fails as <see cref="InvalidDataException"/>, never as a bad length or index. Integers are little-endian; arrays of
/// unmanaged structs are copied as they lie in memory (the format is refused on big-endian machines).
/// </summary>
internal sealed class SnapshotWriter : IDisposable
{
    public const int BlockSize = 1 << 20;
    private const int LengthBytes = sizeof(int);
    private const int HashBytes = sizeof(ulong);
    private const int MaxScalarBytes = 16;

    private readonly Stream _stream;
    private readonly XxHash64 _hash = new();
    private readonly byte[] _frame = ArrayPool<byte>.Shared.Rent(LengthBytes + BlockSize + HashBytes);
    private byte[] _text = ArrayPool<byte>.Shared.Rent(256);
    private int _position = LengthBytes; // next payload byte in _frame

    public SnapshotWriter(Stream stream, ReadOnlySpan<byte> magic)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("engine snapshots are written on little-endian machines only");
        _stream = stream;
        _stream.Write(magic);
        _hash.Append(magic);
    }

    public void WriteByte(byte value) => Reserve(1)[0] = value;

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Reserve(sizeof(int)), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Reserve(sizeof(long)), value);

    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Reserve(sizeof(ulong)), value);

    /// <summary>A non-negative count or index in 1 to 5 bytes (7 bits each, low bits first).</summary>
    public void WriteCount(int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        var span = Reserve(5);
        var n = 0;
        var v = (uint)value;
        while (v >= 0x80)
        {
            span[n++] = (byte)(v | 0x80);
            v >>= 7;
        }

        span[n++] = (byte)v;
        _position -= 5 - n;
    }

    /// <summary>
    /// A string as a count <c>(bytes &lt;&lt; 1) | utf16</c> and its bytes: UTF-8 when the string is valid UTF-16,
    /// else its UTF-16 code units as they are, so that every id (a lone surrogate included) comes back unchanged.
    /// </summary>
    public void WriteString(string value)
    {
        if (_text.Length < value.Length * 3)
        {
            ArrayPool<byte>.Shared.Return(_text);
            _text = ArrayPool<byte>.Shared.Rent(value.Length * 3);
        }

        if (Utf8.FromUtf16(value, _text, out _, out var written, replaceInvalidSequences: false) == OperationStatus.Done)
        {
            WriteCount(written << 1);
            WriteBytes(_text.AsSpan(0, written));
        }
        else
        {
            var raw = MemoryMarshal.AsBytes(value.AsSpan());
            WriteCount((raw.Length << 1) | 1);
            WriteBytes(raw);
        }
    }

    /// <summary>Unmanaged structs without padding, copied as they lie in memory.</summary>
    public void WriteSpan<T>(ReadOnlySpan<T> values)
        where T : unmanaged => WriteBytes(MemoryMarshal.AsBytes(values));

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        while (bytes.Length > 0)
        {
            var room = LengthBytes + BlockSize - _position;
            if (room == 0)
            {
                WriteFrame();
                continue;
            }

            var n = Math.Min(room, bytes.Length);
            bytes[..n].CopyTo(_frame.AsSpan(_position));
            _position += n;
            bytes = bytes[n..];
        }
    }

    /// <summary>Writes the pending frame and the empty frame that ends the snapshot, then flushes the stream.</summary>
    public void Complete()
    {
        if (_position > LengthBytes)
            WriteFrame();
        WriteFrame();
        _stream.Flush();
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_frame);
        ArrayPool<byte>.Shared.Return(_text);
    }

    private Span<byte> Reserve(int bytes)
    {
        if (_position + MaxScalarBytes > LengthBytes + BlockSize)
            WriteFrame();
        var span = _frame.AsSpan(_position, bytes);
        _position += bytes;
        return span;
    }

    private void WriteFrame()
    {
        BinaryPrimitives.WriteInt32LittleEndian(_frame, _position - LengthBytes);
        _hash.Append(_frame.AsSpan(0, _position));
        var checksum = _frame.AsSpan(_position, HashBytes);
        BinaryPrimitives.WriteUInt64LittleEndian(checksum, _hash.GetCurrentHashAsUInt64());
        _hash.Append(checksum);
        _stream.Write(_frame, 0, _position + HashBytes);
        _position = LengthBytes;
    }
}
