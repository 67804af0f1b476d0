using System.Globalization;
using Amlfs.Storage;

namespace Amlfs.Decisions;

/// <summary>
/// The decision log of the embedded server: one record per accepted transaction, numbered by the transaction's own
/// sequence in the write-ahead log, in a segment log of its own (<c>DATA/decision_log</c>) with the write-ahead log's
/// durability (<see cref="WalFlushPolicy"/>, group commit, torn tails cut at open, damage elsewhere reported with its
/// file and offset). Because the sequences are the write-ahead log's and gapless, <see cref="LastSequence"/> is exactly
/// where deciding resumes after a restart, with nothing to scan; a decision can never be written twice or skipped.
/// Records are rolled into the offline store's <c>decisions</c> table and their segments then deleted.
/// <para>Single writer; the statistics may be read from any thread.</para>
/// </summary>
public sealed class DecisionLog : IDisposable
{
    private readonly SegmentLog<Decision> _log;

    private DecisionLog(SegmentLog<Decision> log) => _log = log;

    /// <summary>The directory holding the segment files.</summary>
    public string Directory => _log.Directory;

    /// <summary>The log sequence of the last decision appended; the first sequence minus one while it holds none.</summary>
    public long LastSequence => _log.LastSequence;

    /// <summary>The log sequence of the last decision a <see cref="Commit"/> made durable.</summary>
    public long CommittedSequence => _log.CommittedSequence;

    /// <summary>The log sequence of the oldest decision still in the log.</summary>
    public long FirstSequence => _log.FirstSequence;

    /// <summary>Records up to this sequence lie in sealed segments, which a reader beside the writer may read.</summary>
    public long SealedThrough => _log.SealedThrough;

    /// <summary>Bytes cut from a torn tail when the log was opened.</summary>
    public long TruncatedBytes => _log.TruncatedBytes;

    /// <summary>Bytes of every segment.</summary>
    public long TotalBytes => _log.TotalBytes;

    /// <summary>Segment files, the active one included.</summary>
    public int SegmentCount => _log.SegmentCount;

    /// <summary>
    /// Opens the decision log in <paramref name="directory"/>. A new log starts at <paramref name="firstSequence"/>:
    /// the sequence of the first transaction it will decide (the write-ahead log's next one, or its oldest).
    /// </summary>
    /// <exception cref="InvalidDataException">A segment is damaged other than at the tail of the last one.</exception>
    /// <exception cref="IOException">Another process holds the log, or the file system failed.</exception>
    public static DecisionLog Open(string directory, WalOptions options, long firstSequence, TimeProvider? clock = null) =>
        new(SegmentLog<Decision>.Open(DecisionRecordCodec.Instance, directory, options, clock, firstSequence));

    /// <summary>
    /// Buffers the decision of the transaction that follows <see cref="LastSequence"/>; durable once <see cref="Commit"/>
    /// returns.
    /// </summary>
    /// <exception cref="ArgumentException">The decision is not for the next sequence, or holds text the log cannot store.</exception>
    public void Append(Decision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.LogSequence != _log.LastSequence + 1)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"decision for '{decision.TransactionId}' has log sequence {decision.LogSequence}; the decision log expects {_log.LastSequence + 1}"), nameof(decision));
        }

        _log.Append(decision);
    }

    /// <summary>Writes what is buffered and fsyncs by the flush policy.</summary>
    public void Commit() => _log.Commit();

    /// <summary>The committed decisions after <paramref name="afterSequence"/>, in order, read lazily.</summary>
    public IEnumerable<Decision> ReadFrom(long afterSequence) => _log.ReadFrom(afterSequence).Select(r => r.Record);

    /// <summary>Deletes the segments whose decisions all lie below <paramref name="sequence"/> (never the active one).</summary>
    public int DeleteSegmentsBefore(long sequence) => _log.DeleteSegmentsBefore(sequence);

    /// <summary>
    /// Reads the decisions after <paramref name="afterSequence"/> through <paramref name="throughSequence"/> from the
    /// files in <paramref name="directory"/>, beside the writer (which guarantees they are written and kept).
    /// </summary>
    public static IEnumerable<Decision> ReadFiles(string directory, long afterSequence, long throughSequence) =>
        SegmentFiles.Read(DecisionRecordCodec.Instance, directory, afterSequence, throughSequence).Select(r => r.Record);

    /// <summary>
    /// The decision about <paramref name="transactionId"/> among the committed decisions in <paramref name="directory"/>,
    /// read without opening the log (beside the server that writes it), or null when none is about it. The segments are
    /// read newest first, so a recent decision costs the newest segment at most; a miss costs reading every segment
    /// the log still holds, which the roll into the offline store keeps to the active one and those sealed since the
    /// last roll. Each record is checksummed and its transaction id compared as bytes; only the match is decoded.
    /// </summary>
    /// <exception cref="InvalidDataException">A segment is damaged other than at the tail of the newest one.</exception>
    public static Decision? FindInFiles(string directory, string transactionId)
    {
        ArgumentNullException.ThrowIfNull(transactionId);
        var id = System.Text.Encoding.UTF8.GetBytes(transactionId);
        return SegmentFiles.FindNewestFirst(DecisionRecordCodec.Instance, directory, payload => DecisionRecordCodec.IsAbout(payload, id))?.Record;
    }

    /// <summary>Every committed decision in <paramref name="directory"/>, oldest first, read without opening the log.</summary>
    public static IEnumerable<Decision> ReadCommittedFiles(string directory) =>
        SegmentFiles.ReadCommitted(DecisionRecordCodec.Instance, directory).Select(r => r.Record);

    /// <summary>Writes and fsyncs what is buffered; closes the files.</summary>
    public void Dispose() => _log.Dispose();
}
