using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;

namespace Amlfs.Storage;

/// <summary>
/// The framing of a segment file around its records. Every integer is little-endian.
/// <code>
/// segment   ┌────────────┬──────────┬─────────┬──────────────────┬──────────┐
///           │ header     │ record 1 │   ...   │ record n         │ trailer  │  (the trailer only once sealed)
///           └────────────┴──────────┴─────────┴──────────────────┴──────────┘
///
/// header    0  8 bytes magic           "AMLFSWAL" for the write-ahead log; each log its own
///           8  u32 format version (1)
///          12  u64 first sequence        equals the number in the file's name
///          20  u32 CRC-32 of bytes 0-19
///
/// trailer   0  u32 0xFFFFFFFF            where a record's length would be: no record is that long
///           4  u32 CRC-32 of bytes 8-23
///           8  u64 last sequence         the next segment's first sequence minus one
///          16  i64 newest event time ms  lets retention judge the segment without reading it
/// </code>
/// A segment is sealed (trailer written and fsynced) before the next one is created, so every segment but the last
/// one ends with its trailer, and opening the log checks each of them by reading 48 bytes.
/// </summary>
internal static class WalSegmentFormat
{
    public const int HeaderBytes = 24;
    public const int TrailerBytes = 24;
    public const uint TrailerMarker = uint.MaxValue;
    public const uint Version = 1;
    public const string Extension = ".wal";
    private const int NameDigits = 20;

    /// <summary>The file name of the segment whose first record has <paramref name="firstSequence"/>.</summary>
    public static string FileName(long firstSequence) =>
        firstSequence.ToString("D" + NameDigits, CultureInfo.InvariantCulture) + Extension;

    /// <summary>The first sequence a segment file's name declares, or null for any other file.</summary>
    public static long? ParseFileName(string fileName)
    {
        if (fileName.Length != NameDigits + Extension.Length || !fileName.EndsWith(Extension, StringComparison.Ordinal))
            return null;
        var digits = fileName.AsSpan(0, NameDigits);
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
                return null;
        }

        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) && sequence >= 1
            ? sequence
            : null;
    }

    public static void WriteHeader(Span<byte> destination, long firstSequence, ReadOnlySpan<byte> magic)
    {
        magic.CopyTo(destination);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], Version);
        BinaryPrimitives.WriteInt64LittleEndian(destination[12..], firstSequence);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[20..], Crc32.HashToUInt32(destination[..20]));
    }

    /// <summary>The problem with a header, or null when it is valid and declares <paramref name="firstSequence"/>.</summary>
    public static string? CheckHeader(ReadOnlySpan<byte> header, long firstSequence, ReadOnlySpan<byte> magic)
    {
        if (!header[..8].SequenceEqual(magic))
            return "not a segment of this log (bad magic)";
        if (BinaryPrimitives.ReadUInt32LittleEndian(header[20..]) != Crc32.HashToUInt32(header[..20]))
            return "header checksum mismatch";
        var version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version != Version)
            return string.Create(CultureInfo.InvariantCulture, $"unsupported segment format version {version} (this build reads {Version})");
        var declared = BinaryPrimitives.ReadInt64LittleEndian(header[12..]);
        return declared == firstSequence
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"header declares first sequence {declared}, the file name {firstSequence}");
    }

    public static void WriteTrailer(Span<byte> destination, long lastSequence, long maxTimestampMs)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, TrailerMarker);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], lastSequence);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], maxTimestampMs);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], Crc32.HashToUInt32(destination[8..TrailerBytes]));
    }

    /// <summary>Reads a trailer; false when the marker or the checksum is wrong.</summary>
    public static bool TryReadTrailer(ReadOnlySpan<byte> trailer, out long lastSequence, out long maxTimestampMs)
    {
        lastSequence = BinaryPrimitives.ReadInt64LittleEndian(trailer[8..]);
        maxTimestampMs = BinaryPrimitives.ReadInt64LittleEndian(trailer[16..]);
        return BinaryPrimitives.ReadUInt32LittleEndian(trailer) == TrailerMarker
            && BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]) == Crc32.HashToUInt32(trailer[8..TrailerBytes]);
    }
}
