using System.Buffers.Binary;
using System.Text;

namespace Amlfs.Storage;

/// <summary>
/// Strings inside a log record's payload: a u16 byte count, then that many UTF-8 bytes. Shared by every record codec,
/// so that a string is bounded, written and checked the same way in every log.
/// </summary>
internal static class LogRecordStrings
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>An upper bound of the bytes <paramref name="value"/> takes, length included (3 UTF-8 bytes per UTF-16 unit at most).</summary>
    /// <exception cref="ArgumentException">The string is null or longer than 65,535 UTF-8 bytes.</exception>
    public static int MaxBytes(string value, string field)
    {
        if (value is null)
            throw new ArgumentException($"{field} is null", nameof(value));
        var bound = (value.Length + 1) * 3;
        if (bound > ushort.MaxValue)
        {
            // Only long strings pay for an exact count; the bound is then exact enough to size the buffer.
            var count = Utf8.GetByteCount(value);
            if (count > ushort.MaxValue)
                throw new ArgumentException($"{field} is {count} UTF-8 bytes long; the log stores at most {ushort.MaxValue}", nameof(value));
        }

        return sizeof(ushort) + bound;
    }

    /// <summary>Writes <paramref name="value"/> at <paramref name="at"/> (room reserved by <see cref="MaxBytes"/>); returns where the next field starts.</summary>
    public static int Write(Span<byte> payload, int at, string value)
    {
        var count = Utf8.GetBytes(value, payload[(at + sizeof(ushort))..]);
        BinaryPrimitives.WriteUInt16LittleEndian(payload[at..], (ushort)count);
        return at + sizeof(ushort) + count;
    }

    /// <summary>Reads the string at <paramref name="at"/> and moves past it; labels come from the cache when one is given.</summary>
    public static string? Read(ReadOnlySpan<byte> payload, ref int at, Utf8LabelCache? labels)
    {
        if (payload.Length - at < sizeof(ushort))
            throw new InvalidDataException("record payload ends inside a string length");
        int count = BinaryPrimitives.ReadUInt16LittleEndian(payload[at..]);
        at += sizeof(ushort);
        if (payload.Length - at < count)
            throw new InvalidDataException("record payload ends inside a string");
        var bytes = payload.Slice(at, count);
        at += count;
        try
        {
            return labels is null ? Utf8.GetString(bytes) : labels.Get(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException("record holds a string that is not valid UTF-8", e);
        }
    }
}
