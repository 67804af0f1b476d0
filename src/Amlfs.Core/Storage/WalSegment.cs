namespace Amlfs.Storage;

/// <summary>What the log knows about one of its segment files.</summary>
/// <param name="FileName">The file's name inside the log directory: the first sequence, zero-padded, then <c>.wal</c>.</param>
/// <param name="FirstSequence">The sequence of the segment's first record (or of its next record while it is empty).</param>
/// <param name="LastSequence">The sequence of its last record; <c>FirstSequence - 1</c> while it is empty.</param>
/// <param name="MaxTimestampMs">The newest event time among its records; <see cref="long.MinValue"/> while it is empty.</param>
/// <param name="Bytes">Its size in bytes, records buffered for the next commit included.</param>
/// <param name="IsActive">Whether it is the segment being appended to (the last one).</param>
public sealed record WalSegment(string FileName, long FirstSequence, long LastSequence, long MaxTimestampMs, long Bytes, bool IsActive)
{
    /// <summary>How many records it holds.</summary>
    public long RecordCount => LastSequence - FirstSequence + 1;
}
