using System.Globalization;

namespace Amlfs.Storage;

/// <summary>
/// Reads records across consecutive segment files, checking each header, the sequence of every record and each
/// trailer; shared by <see cref="SegmentLog{TRecord}.ReadFrom"/> (the writer's view) and <see cref="WalFiles"/> (readers
/// beside the writer).
/// </summary>
internal static class WalSegmentScan
{
    /// <summary>
    /// The records after <paramref name="afterSequence"/> and up to <paramref name="throughSequence"/> of the segments
    /// from index <paramref name="start"/> on; reading stops at the record numbered <paramref name="throughSequence"/>,
    /// so bytes after it (a segment still being written) are never looked at.
    /// </summary>
    public static IEnumerable<LogRecord<TRecord>> Read<TRecord>(ILogRecordCodec<TRecord> codec, (string Path, long First)[] segments, int start, long afterSequence,
        long throughSequence)
    {
        var labels = new Utf8LabelCache();
        var expected = segments[start].First;
        for (var i = start; i < segments.Length; i++)
        {
            var (path, first) = segments[i];
            using var reader = new WalSegmentReader(path);
            CheckHeader(codec, reader, first);
            if (first != expected)
                throw Damaged(codec.LogName, path, 0, $"begins at sequence {first} but the previous segment ended at {expected - 1}");
            var sealedSegment = false;
            while (!sealedSegment)
            {
                if (expected > throughSequence)
                    yield break;
                var item = reader.Next();
                if (item == WalSegmentReader.Item.End)
                    break;
                if (item == WalSegmentReader.Item.Damaged)
                    throw Damaged(codec.LogName, path, reader.Offset, reader.Problem);
                if (item == WalSegmentReader.Item.Trailer)
                {
                    if (reader.TrailerLastSequence != expected - 1)
                        throw Damaged(codec.LogName, path, reader.Offset, $"trailer declares last sequence {reader.TrailerLastSequence}, the records end at {expected - 1}");
                    sealedSegment = true;
                    continue;
                }

                var sequence = LogRecordFrame.SequenceOf(reader.Payload);
                if (sequence != expected)
                    throw Damaged(codec.LogName, path, reader.Offset, $"holds sequence {sequence} where {expected} was expected");
                expected++;
                if (sequence > afterSequence)
                    yield return new LogRecord<TRecord>(sequence, Decode(codec, reader, labels));
            }

            if (!sealedSegment && i < segments.Length - 1)
                throw Damaged(codec.LogName, path, reader.Limit, "ends without its trailer: the segment was cut short");
        }

        if (throughSequence != long.MaxValue && expected <= throughSequence)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"the {codec.LogName} ends at sequence {expected - 1}, before {throughSequence}"));
    }

    public static InvalidDataException Damaged(string logName, string path, long offset, string problem) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{logName} segment {path} is damaged at byte offset {offset}: {problem}"));

    public static TRecord Decode<TRecord>(ILogRecordCodec<TRecord> codec, WalSegmentReader reader, Utf8LabelCache labels)
    {
        try
        {
            return codec.Read(reader.Payload, labels);
        }
        catch (InvalidDataException e)
        {
            throw Damaged(codec.LogName, reader.Path, reader.Offset, e.Message);
        }
    }

    private static void CheckHeader<TRecord>(ILogRecordCodec<TRecord> codec, WalSegmentReader reader, long first)
    {
        var header = reader.ReadHeader();
        var problem = header.IsEmpty ? "shorter than a segment header" : WalSegmentFormat.CheckHeader(header, first, codec.Magic);
        if (problem is not null)
            throw Damaged(codec.LogName, reader.Path, 0, problem);
    }
}
