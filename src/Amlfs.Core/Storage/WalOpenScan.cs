namespace Amlfs.Storage;

/// <summary>
/// What opening a <see cref="SegmentLog{TRecord}"/> finds on disk: the header and trailer of every segment but the last are
/// checked, and the last is scanned record by record. A damaged tail of the last segment (a partial record, a checksum
/// mismatch, zero-filled bytes: what a crash in the middle of a write leaves) is cut off; damage anywhere else, a gap
/// between segments, or a record out of sequence throws <see cref="InvalidDataException"/> naming the file and offset.
/// </summary>
internal static class WalOpenScan
{
    /// <summary>
    /// Scans <paramref name="directory"/> (holding the log's lock) and returns its segments, oldest first, with a
    /// stream open for appending to the last one, which is created when there is none or the last one is sealed. An
    /// empty directory gets a first segment starting at <paramref name="firstSequence"/>.
    /// </summary>
    public static (List<WalSegmentState> Segments, FileStream Active, long TruncatedBytes, string? Truncation) Scan<TRecord>(
        ILogRecordCodec<TRecord> codec, string directory, long firstSequence)
    {
        var name = codec.LogName;
        var magic = codec.Magic.ToArray();
        var files = Directory.EnumerateFiles(directory)
            .Select(path => (Path: path, First: WalSegmentFormat.ParseFileName(Path.GetFileName(path))))
            .Where(f => f.First is not null)
            .Select(f => (f.Path, First: f.First!.Value))
            .OrderBy(f => f.First)
            .ToList();
        var segments = new List<WalSegmentState>();
        for (var i = 0; i < files.Count - 1; i++)
            segments.Add(CheckSealed(name, magic, files[i].Path, files[i].First, files[i + 1].First));

        if (files.Count == 0)
        {
            var first = WalSegmentWriter.Create(directory, firstSequence, magic);
            segments.Add(new WalSegmentState(first.Name, firstSequence) { Bytes = WalSegmentFormat.HeaderBytes });
            return (segments, first, 0, null);
        }

        var last = RecoverLast(name, magic, files[^1].Path, files[^1].First, out var truncated, out var truncation, out var active);
        segments.Add(last);
        if (last.Sealed)
        {
            active.Dispose();
            active = WalSegmentWriter.Create(directory, last.Last + 1, magic);
            segments.Add(new WalSegmentState(active.Name, last.Last + 1) { Bytes = WalSegmentFormat.HeaderBytes });
        }

        return (segments, active, truncated, truncation);
    }

    /// <summary>Checks a segment that is not the last: valid header, valid trailer, followed by the next one.</summary>
    private static WalSegmentState CheckSealed(string name, byte[] magic, string path, long first, long nextFirst)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        var length = file.Length;
        if (length < WalSegmentFormat.HeaderBytes + WalSegmentFormat.TrailerBytes)
            throw WalSegmentScan.Damaged(name, path, length, "shorter than a header and a trailer: the segment was cut short");
        Span<byte> bytes = stackalloc byte[WalSegmentFormat.HeaderBytes];
        file.ReadExactly(bytes);
        if (WalSegmentFormat.CheckHeader(bytes, first, magic) is { } problem)
            throw WalSegmentScan.Damaged(name, path, 0, problem);
        file.Position = length - WalSegmentFormat.TrailerBytes;
        file.ReadExactly(bytes[..WalSegmentFormat.TrailerBytes]);
        if (!WalSegmentFormat.TryReadTrailer(bytes, out var last, out var maxTimestamp))
            throw WalSegmentScan.Damaged(name, path, file.Position - WalSegmentFormat.TrailerBytes, "no valid trailer: the segment was cut short or damaged");
        if (last < first || last != nextFirst - 1)
            throw WalSegmentScan.Damaged(name, path, length - WalSegmentFormat.TrailerBytes, $"ends at sequence {last} but the next segment begins at {nextFirst}");
        return new WalSegmentState(path, first) { Last = last, MaxTimestampMs = maxTimestamp, Bytes = length, Sealed = true };
    }

    /// <summary>
    /// Scans the last segment, cuts a damaged tail, and returns its state with a stream open for appending at its end.
    /// A record with a valid checksum in the wrong place is not a torn write and throws.
    /// </summary>
    private static WalSegmentState RecoverLast(string name, byte[] magic, string path, long first, out long truncated, out string? truncation, out FileStream active)
    {
        var state = new WalSegmentState(path, first);
        long keep;
        bool writeHeader = false;
        truncation = null;
        long length;
        using (var reader = new WalSegmentReader(path))
        {
            length = reader.Limit;
            var header = reader.ReadHeader();
            if (header.IsEmpty || !header.ContainsAnyExcept((byte)0))
            {
                // Created but its header never reached the disk: a crash during a roll.
                keep = 0;
                writeHeader = true;
                truncation = $"{path}: torn segment header at byte offset 0";
            }
            else
            {
                if (WalSegmentFormat.CheckHeader(header, first, magic) is { } problem)
                    throw WalSegmentScan.Damaged(name, path, 0, problem);
                keep = ScanRecords(name, reader, state, out var damage);
                if (damage is not null)
                    truncation = $"{path}: {damage} at byte offset {keep}";
            }
        }

        truncated = length - keep;
        active = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read, bufferSize: 0);
        try
        {
            if (truncated > 0)
            {
                active.SetLength(keep);
                if (writeHeader)
                {
                    Span<byte> header = stackalloc byte[WalSegmentFormat.HeaderBytes];
                    WalSegmentFormat.WriteHeader(header, first, magic);
                    active.Write(header);
                }

                active.Flush(flushToDisk: true); // the cut is durable before anything is appended after it
            }

            active.Seek(0, SeekOrigin.End);
            state.Bytes = active.Length;
            return state;
        }
        catch
        {
            active.Dispose();
            throw;
        }
    }

    /// <summary>Reads records into <paramref name="state"/>; returns the length to keep and, if any, what follows it.</summary>
    private static long ScanRecords(string name, WalSegmentReader reader, WalSegmentState state, out string? damage)
    {
        damage = null;
        while (true)
        {
            switch (reader.Next())
            {
                case WalSegmentReader.Item.End:
                    return reader.Limit;
                case WalSegmentReader.Item.Damaged:
                    damage = reader.Problem;
                    return reader.Offset;
                case WalSegmentReader.Item.Trailer:
                    if (reader.TrailerLastSequence != state.Last || state.Last < state.First)
                        throw WalSegmentScan.Damaged(name, reader.Path, reader.Offset, $"trailer declares last sequence {reader.TrailerLastSequence}, the records end at {state.Last}");
                    state.Sealed = true;
                    var end = reader.Offset + WalSegmentFormat.TrailerBytes;
                    if (end < reader.Limit)
                        damage = "bytes after the trailer";
                    return end;
                default:
                    var sequence = LogRecordFrame.SequenceOf(reader.Payload);
                    if (sequence != state.Last + 1)
                        throw WalSegmentScan.Damaged(name, reader.Path, reader.Offset, $"holds sequence {sequence} where {state.Last + 1} was expected");
                    state.Last = sequence;
                    state.MaxTimestampMs = Math.Max(state.MaxTimestampMs, LogRecordFrame.TimestampOf(reader.Payload));
                    break;
            }
        }
    }
}
