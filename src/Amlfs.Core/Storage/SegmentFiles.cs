namespace Amlfs.Storage;

/// <summary>
/// Reads a segment log's files without opening the <see cref="SegmentLog{TRecord}"/>: no lock is taken and nothing is
/// written, so a reader may run beside the server that owns the log (the roll into the offline store, the consistency
/// check). <see cref="WalFiles"/> reads the write-ahead log through it.
/// </summary>
internal static class SegmentFiles
{
    /// <summary>
    /// Every record with a valid checksum, segment by segment, oldest first. The tail of the newest segment may be
    /// being written, so reading it stops at the first incomplete record; a damaged record elsewhere stops with
    /// <see cref="InvalidDataException"/> naming the file and offset. A segment that retention deletes meanwhile is
    /// skipped: the caller sees the gap in the sequences.
    /// </summary>
    public static IEnumerable<LogRecord<TRecord>> ReadCommitted<TRecord>(ILogRecordCodec<TRecord> codec, string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var labels = new Utf8LabelCache();
        foreach (var reader in ValidRecords(codec, Segments(directory), newestFirst: false))
            yield return new LogRecord<TRecord>(LogRecordFrame.SequenceOf(reader.Payload), WalSegmentScan.Decode(codec, reader, labels));
    }

    /// <summary>
    /// The first record whose payload <paramref name="matches"/>, looking through the segments newest first and each one
    /// front to back, or null when none does. Only the match is decoded: the others are checksummed and handed to
    /// <paramref name="matches"/> as spans, with no allocation per record, so the cost is reading the bytes of the
    /// segments up to the one that holds the match (all of them when none does). As in <see cref="ReadCommitted"/>,
    /// the newest segment may be being written, so reading it stops at the first incomplete record, and a segment that
    /// retention deletes meanwhile is skipped.
    /// </summary>
    /// <exception cref="InvalidDataException">A damaged record other than at the tail of the newest segment.</exception>
    public static LogRecord<TRecord>? FindNewestFirst<TRecord>(ILogRecordCodec<TRecord> codec, string directory, Func<ReadOnlySpan<byte>, bool> matches)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(matches);
        foreach (var reader in ValidRecords(codec, Segments(directory), newestFirst: true))
        {
            if (matches(reader.Payload))
                return new LogRecord<TRecord>(LogRecordFrame.SequenceOf(reader.Payload), WalSegmentScan.Decode(codec, reader, new Utf8LabelCache()));
        }

        return null;
    }

    /// <summary>
    /// The reader of each segment in turn (oldest or newest first), positioned at each of its records with a valid
    /// checksum. The newest segment may be being written, so reading it stops at the first incomplete record; a damaged
    /// record elsewhere throws <see cref="InvalidDataException"/> naming the file and offset; a segment that retention
    /// deletes meanwhile is skipped.
    /// </summary>
    private static IEnumerable<WalSegmentReader> ValidRecords<TRecord>(ILogRecordCodec<TRecord> codec, (string Path, long First)[] segments, bool newestFirst)
    {
        for (var k = 0; k < segments.Length; k++)
        {
            var i = newestFirst ? segments.Length - 1 - k : k;
            WalSegmentReader reader;
            try
            {
                reader = new WalSegmentReader(segments[i].Path);
            }
            catch (FileNotFoundException)
            {
                continue;
            }

            using (reader)
            {
                if (reader.ReadHeader().IsEmpty)
                    continue;
                while (true)
                {
                    var item = reader.Next();
                    if (item is WalSegmentReader.Item.End or WalSegmentReader.Item.Trailer)
                        break;
                    if (item == WalSegmentReader.Item.Damaged)
                    {
                        if (i == segments.Length - 1)
                            break;
                        throw WalSegmentScan.Damaged(codec.LogName, reader.Path, reader.Offset, reader.Problem);
                    }

                    yield return reader;
                }
            }
        }
    }

    /// <summary>
    /// The records after <paramref name="afterSequence"/> through <paramref name="throughSequence"/>, in order, read
    /// lazily. Records up to <see cref="WriteAheadLog.SealedThrough"/> lie in sealed segments, which never change again.
    /// The caller guarantees that those records are written and that their segments are not deleted meanwhile
    /// (retention keeps the segments that are not rolled yet).
    /// </summary>
    /// <exception cref="InvalidDataException">While enumerating: a damaged record, a gap, or a log that ends before
    /// <paramref name="throughSequence"/>; the message names the file and byte offset.</exception>
    public static IEnumerable<LogRecord<TRecord>> Read<TRecord>(ILogRecordCodec<TRecord> codec, string directory, long afterSequence, long throughSequence)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (throughSequence <= afterSequence)
            return [];
        var segments = Segments(directory).Where(s => s.First <= throughSequence).ToArray();
        if (segments.Length == 0)
            return [];
        var start = Array.FindLastIndex(segments, s => s.First <= afterSequence + 1);
        return WalSegmentScan.Read(codec, segments, Math.Max(start, 0), afterSequence, throughSequence);
    }

    /// <summary>The directory's segment files by first sequence; none when it does not exist.</summary>
    private static (string Path, long First)[] Segments(string directory) => !Directory.Exists(directory)
        ? []
        : Directory.EnumerateFiles(directory)
            .Select(path => (Path: path, First: WalSegmentFormat.ParseFileName(Path.GetFileName(path))))
            .Where(s => s.First is not null)
            .Select(s => (s.Path, First: s.First!.Value))
            .OrderBy(s => s.First)
            .ToArray();
}
