namespace Amlfs.Storage;

/// <summary>
/// Reads the records of a write-ahead log directory without opening the log: no lock is taken and nothing is written,
/// so it may run beside the server that owns the log (the consistency check does).
/// </summary>
public static class WalFiles
{
    /// <summary>
    /// Every record with a valid checksum, segment by segment, oldest first. The tail of the newest segment may be
    /// being written, so reading it stops at the first incomplete record; a damaged record elsewhere stops with
    /// <see cref="InvalidDataException"/> naming the file and offset. A segment that retention deletes meanwhile is
    /// skipped: the caller sees the gap in the sequences.
    /// </summary>
    public static IEnumerable<WalRecord> ReadCommitted(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
            yield break;
        var segments = Directory.EnumerateFiles(directory)
            .Select(path => (Path: path, First: WalSegmentFormat.ParseFileName(Path.GetFileName(path))))
            .Where(s => s.First is not null)
            .OrderBy(s => s.First)
            .ToArray();
        var labels = new Utf8LabelCache();
        for (var i = 0; i < segments.Length; i++)
        {
            var last = i == segments.Length - 1;
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
                        if (last)
                            break;
                        throw new InvalidDataException($"{reader.Path} at byte {reader.Offset}: {reader.Problem}");
                    }

                    yield return new WalRecord(WalRecordCodec.SequenceOf(reader.Payload), WalRecordCodec.Read(reader.Payload, labels));
                }
            }
        }
    }
}
