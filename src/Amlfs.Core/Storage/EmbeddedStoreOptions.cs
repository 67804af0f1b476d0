using System.Globalization;

namespace Amlfs.Storage;

/// <summary>Settings of an <see cref="EmbeddedStore"/>, built once; <see cref="Validate"/> before use.</summary>
public sealed record EmbeddedStoreOptions
{
    /// <summary>The data directory; the store keeps <c>wal/</c> and <c>snapshots/</c> inside it.</summary>
    public string DataDirectory { get; init; } = RegistryStore.DefaultDataDirectory;

    /// <summary>When a commit forces the log to stable storage; see <see cref="WalFlushPolicy"/>.</summary>
    public WalFlushPolicy FlushPolicy { get; init; } = WalFlushPolicy.Always;

    /// <summary>The longest a commit goes without an fsync under <see cref="WalFlushPolicy.Interval"/>.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Size at which a log segment is sealed and the next one started.</summary>
    public long SegmentBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>A snapshot is due this long after the previous one (or the start), if records came in since.</summary>
    public TimeSpan SnapshotInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A snapshot is due once this many records were logged since the previous one, whichever comes first.</summary>
    public long SnapshotEveryRecords { get; init; } = 1_000_000;

    /// <summary>
    /// How much history, by event time before the newest event, the log keeps even when snapshots cover it, so that
    /// changed definitions can be rebuilt from the log alone. Null: the definitions' dedup retention or, when longer,
    /// the longest window any definition may declare plus its hop plus the query history (8 d 1 h by default): a
    /// rebuild then reproduces every dedup decision and every window readable as of any queryable time.
    /// </summary>
    public TimeSpan? LogRetention { get; init; }

    /// <summary>
    /// Whether the log rolls into the offline store: retention then also keeps every segment holding a record after
    /// <see cref="EmbeddedStore.RolledSequence"/>, so that no record is deleted before it is in the offline store.
    /// </summary>
    public bool RetainUnrolledLog { get; init; }

    /// <summary>
    /// Whether retention keeps the log's records that no decision is logged for yet (<see cref="EmbeddedStore.DecidedSequence"/>),
    /// so that a server scoring every transaction can decide them after a restart, however long it was behind.
    /// </summary>
    public bool RetainUndecidedLog { get; init; }

    /// <summary>Snapshots kept on disk, newest first: the newest is tried first and the older ones are fallbacks.</summary>
    public int KeepSnapshots { get; init; } = 2;

    /// <summary>Every problem with these options, each naming the option; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(DataDirectory))
            errors.Add("DataDirectory must name a directory");
        if (!Enum.IsDefined(FlushPolicy))
            errors.Add(Describe(nameof(FlushPolicy), "must be Always, Interval or None", FlushPolicy));
        if (FlushInterval < TimeSpan.Zero)
            errors.Add(Describe(nameof(FlushInterval), "must not be negative", FlushInterval));
        if (SegmentBytes < WalOptions.MinSegmentBytes)
            errors.Add(Describe(nameof(SegmentBytes), "must be at least 4096", SegmentBytes));
        if (SnapshotInterval <= TimeSpan.Zero)
            errors.Add(Describe(nameof(SnapshotInterval), "must be positive", SnapshotInterval));
        if (SnapshotEveryRecords < 1)
            errors.Add(Describe(nameof(SnapshotEveryRecords), "must be at least 1", SnapshotEveryRecords));
        if (LogRetention < TimeSpan.Zero)
            errors.Add(Describe(nameof(LogRetention), "must not be negative", LogRetention));
        if (KeepSnapshots < 1)
            errors.Add(Describe(nameof(KeepSnapshots), "must be at least 1", KeepSnapshots));
        return errors;
    }

    /// <summary>The log's share of these options.</summary>
    public WalOptions ToWalOptions() => new()
    {
        SegmentBytes = SegmentBytes,
        FlushPolicy = FlushPolicy,
        FlushInterval = FlushInterval,
    };

    private static string Describe(string option, string rule, object? value) =>
        string.Create(CultureInfo.InvariantCulture, $"{option} {rule}, got {value}");
}
