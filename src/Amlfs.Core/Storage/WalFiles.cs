namespace Amlfs.Storage;

/// <summary>
/// Reads a write-ahead log directory's segment files without opening the <see cref="WriteAheadLog"/>: no lock is taken
/// and nothing is written, so a reader may run beside the server that owns the log (the roll into the offline store,
/// the consistency check).
/// </summary>
public static class WalFiles
{
    /// <summary>
    /// Every record with a valid checksum, segment by segment, oldest first. The tail of the newest segment may be
    /// being written, so reading it stops at the first incomplete record; a damaged record elsewhere stops with
    /// <see cref="InvalidDataException"/> naming the file and offset. A segment that retention deletes meanwhile is
    /// skipped: the caller sees the gap in the sequences.
    /// </summary>
    public static IEnumerable<WalRecord> ReadCommitted(string directory) =>
        SegmentFiles.ReadCommitted(WalRecordCodec.Instance, directory).Select(r => new WalRecord(r.Sequence, r.Record));

    /// <summary>
    /// The records after <paramref name="afterSequence"/> through <paramref name="throughSequence"/>, in order, read
    /// lazily. Records up to <see cref="WriteAheadLog.SealedThrough"/> lie in sealed segments, which never change again.
    /// The caller guarantees that those records are written and that their segments are not deleted meanwhile
    /// (retention keeps the segments that are not rolled yet).
    /// </summary>
    /// <exception cref="InvalidDataException">While enumerating: a damaged record, a gap, or a log that ends before
    /// <paramref name="throughSequence"/>; the message names the file and byte offset.</exception>
    public static IEnumerable<WalRecord> Read(string directory, long afterSequence, long throughSequence) =>
        SegmentFiles.Read(WalRecordCodec.Instance, directory, afterSequence, throughSequence).Select(r => new WalRecord(r.Sequence, r.Record));
}
