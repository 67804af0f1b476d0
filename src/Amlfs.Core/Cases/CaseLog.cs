using Amlfs.Storage;

namespace Amlfs.Cases;

/// <summary>
/// The case log (<c>DATA/cases</c>): every <see cref="CaseEvent"/>, appended in order to a segment log of its own with
/// the write-ahead log's format and durability (framed, checksummed records; a torn tail cut at open; damage elsewhere
/// reported with its file and offset). Its records are never rolled away: the cases are the log's fold.
/// <para>Single writer; <see cref="CaseBook"/> serializes its callers.</para>
/// </summary>
public sealed class CaseLog : IDisposable
{
    private readonly SegmentLog<CaseEvent> _log;

    private CaseLog(SegmentLog<CaseEvent> log) => _log = log;

    /// <summary>The directory holding the segment files.</summary>
    public string Directory => _log.Directory;

    /// <summary>Bytes cut from a torn tail when the log was opened (0 after a clean stop).</summary>
    public long TruncatedBytes => _log.TruncatedBytes;

    /// <summary>What was wrong with the cut tail, with its file and offset; null when nothing was cut.</summary>
    public string? Truncation => _log.Truncation;

    /// <summary>Events in the log.</summary>
    public long Count => _log.LastSequence - _log.FirstSequence + 1;

    /// <summary>
    /// Opens the case log in <paramref name="directory"/>, creating it when needed. Every commit fsyncs
    /// (<see cref="WalFlushPolicy.Always"/>): a case step is answered only once it survives a crash.
    /// </summary>
    /// <exception cref="InvalidDataException">A segment is damaged other than at the tail of the last one.</exception>
    /// <exception cref="IOException">Another process holds the log, or the file system failed.</exception>
    public static CaseLog Open(string directory, TimeProvider? clock = null) =>
        new(SegmentLog<CaseEvent>.Open(CaseEventCodec.Instance, directory, new WalOptions { FlushPolicy = WalFlushPolicy.Always, SegmentBytes = 16L * 1024 * 1024 }, clock));

    /// <summary>Every event in the log, oldest first.</summary>
    public IEnumerable<CaseEvent> ReadAll() => _log.ReadFrom(0).Select(r => r.Record);

    /// <summary>Buffers <paramref name="e"/>; durable once <see cref="Commit"/> returns.</summary>
    /// <exception cref="ArgumentException">The event holds text the log cannot store; nothing was appended.</exception>
    public void Append(CaseEvent e) => _log.Append(e);

    /// <summary>Writes what is buffered and fsyncs.</summary>
    public void Commit() => _log.Commit();

    /// <summary>
    /// Every committed event in <paramref name="directory"/>, oldest first, read without opening the log (beside the
    /// server that writes it): a command reads the cases this way.
    /// </summary>
    public static IEnumerable<CaseEvent> ReadCommittedFiles(string directory) =>
        SegmentFiles.ReadCommitted(CaseEventCodec.Instance, directory).Select(r => r.Record);

    /// <summary>Writes and fsyncs what is buffered; closes the files.</summary>
    public void Dispose() => _log.Dispose();
}
