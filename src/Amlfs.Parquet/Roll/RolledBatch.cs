namespace Amlfs.Parquet.Roll;

/// <summary>
/// One roll of the write-ahead log into the offline store: records <see cref="FirstSequence"/> to
/// <see cref="LastSequence"/>, written as one file per UTC day they fall on, each named by that range.
/// </summary>
/// <param name="FirstSequence">The first log sequence of the batch.</param>
/// <param name="LastSequence">The last log sequence of the batch.</param>
/// <param name="Files">The batch's files found on disk, by name.</param>
/// <param name="Rows">Rows in those files; -1 when one of them could not be read.</param>
public sealed record RolledBatch(long FirstSequence, long LastSequence, IReadOnlyList<string> Files, long Rows)
{
    /// <summary>Whether every record of the range is on disk: the log's sequences are gapless, so the rows must number them all.</summary>
    public bool IsComplete => Rows == LastSequence - FirstSequence + 1;
}
