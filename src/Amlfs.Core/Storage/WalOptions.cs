namespace Amlfs.Storage;

/// <summary>Settings of a <see cref="WriteAheadLog"/>, built once.</summary>
public sealed record WalOptions
{
    /// <summary>The smallest segment size accepted, so that a mistyped setting cannot create a file per record.</summary>
    public const long MinSegmentBytes = 4 * 1024;

    /// <summary>
    /// A segment is sealed and a new one started when the next record would take it past this size. A record larger
    /// than the whole size still goes into a segment of its own.
    /// </summary>
    public long SegmentBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>When a commit forces the log to stable storage; see <see cref="WalFlushPolicy"/>.</summary>
    public WalFlushPolicy FlushPolicy { get; init; } = WalFlushPolicy.Always;

    /// <summary>The longest a commit goes without an fsync under <see cref="WalFlushPolicy.Interval"/>.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromMilliseconds(100);
}
