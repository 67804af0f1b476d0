using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;

namespace Amlfs.Engine;

/// <summary>
/// Reads what a <see cref="SnapshotWriter"/> wrote. A frame is read whole and its checksum verified before any of it
/// is handed out, so every value the parser sees was written by a writer; bounds the parser checks anyway throw
/// <see cref="InvalidDataException"/> through <see cref="Corrupt"/>.
/// </summary>
internal sealed class SnapshotReader : IDisposable
{
    private const int LengthBytes = sizeof(int);
    private const int HashBytes = sizeof(ulong);

    private readonly Stream _stream;
    private readonly XxHash64 _hash = new();
    private readonly byte[] _frame = ArrayPool<byte>.Shared.Rent(SnapshotWriter.BlockSize + HashBytes);
    private readonly byte[] _scalar = new byte[16];
    private byte[] _text = [];
    private int _position;
    private int _length;
    private bool _ended;

    public SnapshotReader(Stream stream, ReadOnlySpan<byte> magic)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("engine snapshots are read on little-endian machines only");
        _stream = stream;
        Span<byte> head = stackalloc byte[magic.Length];
        ReadExactly(head);
        if (!head.SequenceEqual(magic))
            throw new InvalidDataException("not an engine snapshot: the stream does not start with " + Encoding.ASCII.GetString(magic));
        _hash.Append(head);
    }

    public static InvalidDataException Corrupt(string what) => new($"the engine snapshot is corrupt: {what}");

    public byte ReadByte() => Take(1)[0];

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(sizeof(int)));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(sizeof(long)));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(sizeof(ulong)));

    /// <summary>A count written by <see cref="SnapshotWriter.WriteCount"/>, checked to be at most <paramref name="max"/>.</summary>
    public int ReadCount(int max = int.MaxValue)
    {
        uint value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = ReadByte();
            value |= (uint)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                if (value > (uint)max)
                    throw Corrupt(string.Create(CultureInfo.InvariantCulture, $"a count of {value} where at most {max} fits"));
                return (int)value;
            }
        }

        throw Corrupt("a count longer than 5 bytes");
    }

    public string ReadString()
    {
        var header = ReadCount();
        var bytes = header >> 1;
        if (_text.Length < bytes)
            _text = new byte[Math.Max(bytes, 256)];
        var span = _text.AsSpan(0, bytes);
        ReadBytes(span);
        if ((header & 1) == 0)
            return Encoding.UTF8.GetString(span);
        if (bytes % 2 != 0)
            throw Corrupt("a UTF-16 string with an odd number of bytes");
        return new string(MemoryMarshal.Cast<byte, char>(span));
    }

    public void ReadSpan<T>(Span<T> values)
        where T : unmanaged => ReadBytes(MemoryMarshal.AsBytes(values));

    public void ReadBytes(Span<byte> bytes)
    {
        while (bytes.Length > 0)
        {
            if (_position == _length)
                NextFrame();
            var n = Math.Min(_length - _position, bytes.Length);
            _frame.AsSpan(_position, n).CopyTo(bytes);
            _position += n;
            bytes = bytes[n..];
        }
    }

    /// <summary>Checks that the snapshot ends here: nothing left in the frame, and the next frame is the empty last one.</summary>
    public void ReadEnd()
    {
        if (_position != _length)
            throw Corrupt("data after the last section");
        if (!_ended)
            NextFrame();
        if (!_ended)
            throw Corrupt("data after the last section");
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_frame);

    private ReadOnlySpan<byte> Take(int bytes)
    {
        if (_length - _position >= bytes)
        {
            var span = _frame.AsSpan(_position, bytes);
            _position += bytes;
            return span;
        }

        var scalar = _scalar.AsSpan(0, bytes);
        ReadBytes(scalar);
        return scalar;
    }

    private void NextFrame()
    {
        if (_ended)
            throw Corrupt("it ends before its last section");
        Span<byte> length = stackalloc byte[LengthBytes];
        ReadExactly(length);
        var payload = BinaryPrimitives.ReadInt32LittleEndian(length);
        if (payload is < 0 or > SnapshotWriter.BlockSize)
            throw Corrupt(string.Create(CultureInfo.InvariantCulture, $"a frame of {payload} bytes"));
        var frame = _frame.AsSpan(0, payload + HashBytes);
        ReadExactly(frame);
        _hash.Append(length);
        _hash.Append(frame[..payload]);
        if (BinaryPrimitives.ReadUInt64LittleEndian(frame[payload..]) != _hash.GetCurrentHashAsUInt64())
            throw Corrupt("checksum mismatch");
        _hash.Append(frame[payload..]);
        _position = 0;
        _length = payload;
        _ended = payload == 0;
    }

    private void ReadExactly(Span<byte> buffer)
    {
        try
        {
            _stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("the engine snapshot is truncated", e);
        }
    }
}
