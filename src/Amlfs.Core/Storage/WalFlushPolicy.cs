namespace Amlfs.Storage;

/// <summary>
/// When <see cref="WriteAheadLog.Commit"/> forces the log to stable storage. Under every policy a committed record
/// survives a crash of the process: Commit hands the bytes to the operating system before it returns. The policies
/// differ only in what a power failure or kernel crash may take.
/// </summary>
public enum WalFlushPolicy
{
    /// <summary>
    /// Every Commit that wrote records ends with one fsync, shared by the whole batch (group commit). Nothing
    /// acknowledged is lost, even on power failure.
    /// </summary>
    Always,

    /// <summary>
    /// A Commit fsyncs when the previous fsync is older than <see cref="WalOptions.FlushInterval"/>. A power failure
    /// may lose the records committed since the last fsync: at most about one interval of traffic, unless the writer
    /// went idle right after a commit, in which case those records stay unsynced until the next commit or the kernel's
    /// own write-back.
    /// </summary>
    Interval,

    /// <summary>
    /// Commit only hands the bytes to the operating system, which writes them back when it chooses (typically within
    /// about 30 s on Linux). A power failure may lose that much acknowledged traffic. Sealing a segment still fsyncs
    /// it (once per <see cref="WalOptions.SegmentBytes"/>), so that after a power failure only the last segment can be
    /// torn and the log always opens.
    /// </summary>
    None,
}
