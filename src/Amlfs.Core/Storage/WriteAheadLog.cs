using Amlfs.Transactions;

namespace Amlfs.Storage;

/// <summary>
/// The write-ahead log of accepted transactions: a <see cref="SegmentLog{TRecord}"/> of records in
/// <see cref="WalRecordCodec"/>'s layout, whose sequences are gapless and start at 1.
/// <para>
/// <see cref="Append"/> encodes into one reused buffer (<see cref="WalSegmentWriter"/>: no allocation per record);
/// <see cref="Commit"/> hands the buffered records to the operating system in one write and then, by
/// <see cref="WalFlushPolicy"/>, fsyncs: one fsync per committed batch at most (group commit). A record is
/// acknowledged once the Commit after it returns. A segment is sealed when the next record would take it past
/// <see cref="WalOptions.SegmentBytes"/>: its trailer is written and fsynced, whatever the policy, before the next
/// segment file is created, so segments become durable in order.
/// </para>
/// <para>
/// Opening (<see cref="WalOpenScan"/>) scans the last segment record by record and checks the header and trailer of
/// every other one. A damaged tail of the last segment is cut off and its size reported in <see cref="TruncatedBytes"/>.
/// Damage anywhere else throws <see cref="InvalidDataException"/> naming the file and byte offset, from
/// <see cref="Open"/> or, for the records inside sealed segments, from <see cref="ReadFrom"/>: acknowledged data is
/// never skipped silently.
/// </para>
/// <para>
/// Single-threaded: one writer calls every method; only the statistics may be read from other threads. An I/O failure while writing leaves the file's tail unknown, so the
/// log refuses further use; opening it again cuts whatever was torn.
/// </para>
/// </summary>
public sealed class WriteAheadLog : IDisposable
{
    private readonly SegmentLog<Transaction> _log;

    private WriteAheadLog(SegmentLog<Transaction> log) => _log = log;

    /// <summary>The directory holding the segment files.</summary>
    public string Directory => _log.Directory;

    /// <summary>
    /// The sequence of the last record appended (committed or not); 0 while the log has never held one. Like the
    /// other statistics (<see cref="SegmentCount"/>, <see cref="TotalBytes"/>, <see cref="FsyncCount"/>) it may be read
    /// from any thread, e.g. by a metrics endpoint.
    /// </summary>
    public long LastSequence => _log.LastSequence;

    /// <summary>
    /// The sequence of the last record that <see cref="Commit"/> made durable (as <see cref="WalOptions.FlushPolicy"/>
    /// defines it); readable from any thread. Records after it are appended and not yet committed.
    /// </summary>
    public long CommittedSequence => _log.CommittedSequence;

    /// <summary>The sequence of the oldest record still in the log; <see cref="LastSequence"/> + 1 when it is empty.</summary>
    public long FirstSequence => _log.FirstSequence;

    /// <summary>The newest event time among the records in the log, or null when it holds none.</summary>
    public long? MaxTimestampMs => _log.MaxTimestampMs;

    /// <summary>Bytes cut from the tail of the last segment when the log was opened (0 after a clean shutdown).</summary>
    public long TruncatedBytes => _log.TruncatedBytes;

    /// <summary>What was wrong with the cut tail, with its file and offset; null when nothing was cut.</summary>
    public string? Truncation => _log.Truncation;

    /// <summary>
    /// The last sequence of the newest sealed segment (0 while none is): records up to it lie in files that never
    /// change again, which <see cref="WalFiles.Read"/> may read from any thread while the writer appends.
    /// </summary>
    public long SealedThrough => _log.SealedThrough;

    /// <summary>Segment files, the active one included.</summary>
    public int SegmentCount => _log.SegmentCount;

    /// <summary>Bytes of every segment, records buffered for the next commit included.</summary>
    public long TotalBytes => _log.TotalBytes;

    /// <summary>fsyncs of segment files so far: one per committed batch under <see cref="WalFlushPolicy.Always"/>.</summary>
    public long FsyncCount => _log.FsyncCount;

    /// <summary>Every segment, oldest first; the last one is the active segment. Writer thread only.</summary>
    public IReadOnlyList<WalSegment> Segments => _log.Segments;

    /// <summary>
    /// Opens the log in <paramref name="directory"/>, creating the directory and the first segment when needed, and
    /// cuts a torn tail off the last segment (see the class remarks). Only one log may be open on a directory at once.
    /// </summary>
    /// <param name="directory">The log directory (the store uses <c>DATA/wal</c>).</param>
    /// <param name="options">Segment size and flush policy.</param>
    /// <param name="clock">Times <see cref="WalFlushPolicy.Interval"/>; the system clock when null.</param>
    /// <exception cref="InvalidDataException">A segment is damaged other than at the tail of the last one, or the
    /// segments do not follow each other; the message names the file and byte offset.</exception>
    /// <exception cref="IOException">Another log holds the directory, or the file system failed.</exception>
    public static WriteAheadLog Open(string directory, WalOptions options, TimeProvider? clock = null) =>
        new(SegmentLog<Transaction>.Open(WalRecordCodec.Instance, directory, options, clock));

    /// <summary>
    /// Buffers <paramref name="transaction"/> as the next record and returns its sequence. Durable only once
    /// <see cref="Commit"/> returns. Seals the active segment first when the record would overflow it.
    /// </summary>
    /// <exception cref="ArgumentException">A string field is longer than 65,535 UTF-8 bytes or is not valid UTF-16;
    /// nothing was appended.</exception>
    public long Append(Transaction transaction) => _log.Append(transaction);

    /// <summary>
    /// Writes the buffered records to the operating system and then fsyncs by <see cref="WalOptions.FlushPolicy"/>.
    /// When it returns, every appended record survives a crash of the process (and, under
    /// <see cref="WalFlushPolicy.Always"/>, a power failure). Cheap when nothing was appended.
    /// </summary>
    public void Commit() => _log.Commit();

    /// <summary>Commits and fsyncs whatever the policy, e.g. before a snapshot that covers the records.</summary>
    public void Sync() => _log.Sync();

    /// <summary>
    /// The committed records after <paramref name="afterSequence"/>, in order, read lazily across segments through
    /// one buffer. Records appended after a segment's reading began are not included.
    /// </summary>
    /// <exception cref="InvalidDataException">While enumerating: a damaged record, a record out of sequence or a
    /// segment cut short; the message names the file and byte offset.</exception>
    public IEnumerable<WalRecord> ReadFrom(long afterSequence) =>
        _log.ReadFrom(afterSequence).Select(r => new WalRecord(r.Sequence, r.Record));

    /// <summary>
    /// Deletes, oldest first, the segments whose records all have sequences below <paramref name="sequence"/>; never
    /// the active segment, so the log always knows its next sequence. Returns how many were deleted.
    /// </summary>
    public int DeleteSegmentsBefore(long sequence) => _log.DeleteSegmentsBefore(sequence);

    /// <summary>Writes and, unless the policy is <see cref="WalFlushPolicy.None"/>, fsyncs what is buffered; closes the files.</summary>
    public void Dispose() => _log.Dispose();
}
