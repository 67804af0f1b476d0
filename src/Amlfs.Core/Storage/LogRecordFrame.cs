using System.Buffers.Binary;
using System.IO.Hashing;

namespace Amlfs.Storage;

/// <summary>
/// The frame around every record of a segment log (<see cref="SegmentLog{TRecord}"/>). Every integer is little-endian.
/// <code>
/// record   ┌──────────────────┬──────────────────────────┬───────────────────────────────┐
///          │ u32 payload      │ u32 CRC-32 (IEEE) of the │ payload                       │
///          │ length n         │ n payload bytes          │ (n bytes)                     │
///          └──────────────────┴──────────────────────────┴───────────────────────────────┘
///           0                  4                          8                           8 + n
///
/// payload   0  u64 sequence          gapless; the segment's first record holds the file's name
///           8  i64 event time ms     UTC, since the Unix epoch
///          16  the rest, as the record's codec lays it out
/// </code>
/// A payload length of <see cref="WalSegmentFormat.TrailerMarker"/> never starts a record: it starts the trailer of a
/// sealed segment. A payload shorter than <see cref="MinPayloadBytes"/> (zero in particular, as in a zero-filled tail)
/// or longer than <see cref="MaxPayloadBytes"/> is never valid.
/// </summary>
internal static class LogRecordFrame
{
    /// <summary>Length and checksum before the payload.</summary>
    public const int HeaderBytes = 8;

    /// <summary>The shortest valid payload of any codec: the sequence, the event time and at least a few bytes more.</summary>
    public const int MinPayloadBytes = 24;

    /// <summary>The longest valid payload of any codec; anything longer is damage.</summary>
    public const int MaxPayloadBytes = 1 << 20;

    /// <summary>Writes the sequence and event time at the start of a payload; the codec writes the rest from byte 16.</summary>
    public static void WritePrefix(Span<byte> payload, long sequence, long timestampMs)
    {
        BinaryPrimitives.WriteInt64LittleEndian(payload, sequence);
        BinaryPrimitives.WriteInt64LittleEndian(payload[8..], timestampMs);
    }

    /// <summary>Writes the length and checksum of the <paramref name="payloadLength"/> bytes after them; returns the record's size.</summary>
    public static int Close(Span<byte> record, int payloadLength)
    {
        var payload = record.Slice(HeaderBytes, payloadLength);
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)payloadLength);
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], Crc32.HashToUInt32(payload));
        return HeaderBytes + payloadLength;
    }

    /// <summary>The sequence of a payload whose checksum was verified.</summary>
    public static long SequenceOf(ReadOnlySpan<byte> payload) => BinaryPrimitives.ReadInt64LittleEndian(payload);

    /// <summary>The event time of a payload whose checksum was verified.</summary>
    public static long TimestampOf(ReadOnlySpan<byte> payload) => BinaryPrimitives.ReadInt64LittleEndian(payload[8..]);
}
