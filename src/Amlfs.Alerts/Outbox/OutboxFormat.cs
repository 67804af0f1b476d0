using System.Buffers.Binary;
using System.IO.Hashing;

namespace Amlfs.Alerts.Outbox;

/// <summary>
/// The framing of the outbox file. Every integer is little-endian.
/// <code>
/// file      ┌────────┬──────────┬─────┬──────────┐
///           │ header │ record 1 │ ... │ record n │     appended only; each append is fsynced before it counts
///           └────────┴──────────┴─────┴──────────┘
///
/// header    0  8 bytes "AMLFSALR"
///           8  u32 format version (1)
///          12  u32 CRC-32 of bytes 0-11
///
/// record    0  u32 length n of the payload
///           4  u32 CRC-32 of bytes 8 to 9 + n (the type and the payload)
///           8  u8  type: 1 raised (payload: the alert), 2 outcome (payload: a delivery settled)
///           9  n bytes of UTF-8 JSON (<see cref="AlertJsonContext"/>)
/// </code>
/// A crash can leave the last record torn (short, or with a checksum that does not match); reading stops at the first
/// record that does not check, and opening cuts the file there.
/// </summary>
internal static class OutboxFormat
{
    public const int HeaderBytes = 16;
    public const int RecordHeaderBytes = 9;
    public const uint Version = 1;

    /// <summary>No record is longer: a length past it is damage, not an alert.</summary>
    public const int MaxPayloadBytes = 1 << 20;

    private static ReadOnlySpan<byte> Magic => "AMLFSALR"u8;

    public static void WriteHeader(Span<byte> destination)
    {
        Magic.CopyTo(destination);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], Version);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], Crc32.HashToUInt32(destination[..12]));
    }

    /// <summary>The problem with a header, or null when it is valid.</summary>
    public static string? CheckHeader(ReadOnlySpan<byte> header)
    {
        if (!header[..8].SequenceEqual(Magic))
            return "not an alert outbox (bad magic)";
        if (BinaryPrimitives.ReadUInt32LittleEndian(header[12..]) != Crc32.HashToUInt32(header[..12]))
            return "header checksum mismatch";
        var version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        return version == Version ? null : $"unsupported outbox format version {version} (this build reads {Version})";
    }

    /// <summary>Frames one record: <paramref name="payload"/> of <paramref name="type"/>, with its length and checksum.</summary>
    public static byte[] Frame(OutboxRecordType type, ReadOnlySpan<byte> payload)
    {
        var record = new byte[RecordHeaderBytes + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)payload.Length);
        record[8] = (byte)type;
        payload.CopyTo(record.AsSpan(RecordHeaderBytes));
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), Crc32.HashToUInt32(record.AsSpan(8)));
        return record;
    }

    /// <summary>
    /// Reads the record at the start of <paramref name="data"/>; false when it is torn or damaged (too short, too long,
    /// an unknown type, a checksum that does not match).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out OutboxRecordType type, out ReadOnlySpan<byte> payload, out int size)
    {
        type = default;
        payload = default;
        size = 0;
        if (data.Length < RecordHeaderBytes)
            return false;
        var length = BinaryPrimitives.ReadUInt32LittleEndian(data);
        if (length > MaxPayloadBytes || length > data.Length - RecordHeaderBytes)
            return false;
        size = RecordHeaderBytes + (int)length;
        if (BinaryPrimitives.ReadUInt32LittleEndian(data[4..]) != Crc32.HashToUInt32(data[8..size]))
            return false;
        type = (OutboxRecordType)data[8];
        if (type is not (OutboxRecordType.Raised or OutboxRecordType.Outcome))
            return false;
        payload = data[RecordHeaderBytes..size];
        return true;
    }
}
