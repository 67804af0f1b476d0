namespace Amlfs.Storage;

/// <summary>
/// How one kind of record is laid out in a <see cref="SegmentLog{TRecord}"/>. Every record is framed the same way
/// (<see cref="LogRecordFrame"/>: a length, a CRC-32 and the payload), and every payload starts with the record's u64
/// sequence and its i64 event time in milliseconds, which the log reads without decoding the rest.
/// </summary>
/// <typeparam name="TRecord">The record the log holds.</typeparam>
internal interface ILogRecordCodec<TRecord>
{
    /// <summary>What the log is called in error messages ("write-ahead log").</summary>
    string LogName { get; }

    /// <summary>The eight bytes that open each of its segment files, so that no other log's segment is read as one of its own.</summary>
    ReadOnlySpan<byte> Magic { get; }

    /// <summary>An upper bound of the bytes <paramref name="record"/> takes, frame included; throws for a record the layout cannot hold.</summary>
    int MaxRecordBytes(TRecord record);

    /// <summary>Writes the framed record at the start of <paramref name="destination"/> and returns its size in bytes.</summary>
    int Write(Span<byte> destination, long sequence, TRecord record);

    /// <summary>The event time of a record, kept per segment so that retention can judge a segment without reading it.</summary>
    long TimestampOf(TRecord record);

    /// <summary>Decodes a payload whose checksum was verified; throws <see cref="InvalidDataException"/> for a wrong structure.</summary>
    TRecord Read(ReadOnlySpan<byte> payload, Utf8LabelCache labels);
}
