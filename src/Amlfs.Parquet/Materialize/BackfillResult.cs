namespace Amlfs.Parquet.Materialize;

/// <summary>What <see cref="OnlineBackfill.RunAsync"/> did.</summary>
/// <param name="FirstDay">The oldest UTC day replayed, or null when there was no history.</param>
/// <param name="LastDay">The newest UTC day replayed, or null.</param>
/// <param name="Days">Days replayed.</param>
/// <param name="OfflineRows">Rows read from the offline store (generated, imported and rolled).</param>
/// <param name="LogRecords">Log records not rolled yet, replayed from the write-ahead log.</param>
/// <param name="LogRecordsAlreadyRolled">Log records skipped because their rolled row was replayed instead.</param>
/// <param name="Accepted">Transactions the engine accepted.</param>
/// <param name="Duplicates">Transactions the engine counted as duplicates (a repeated transaction id).</param>
/// <param name="Entities">Entities held afterwards, per entity type.</param>
/// <param name="Watermark">The newest event time replayed, or null.</param>
/// <param name="SnapshotPath">The snapshot written.</param>
/// <param name="SnapshotSequence">The log sequence the snapshot covers: the log's last, so recovery replays only what follows.</param>
public sealed record BackfillResult(
    DateOnly? FirstDay,
    DateOnly? LastDay,
    int Days,
    long OfflineRows,
    long LogRecords,
    long LogRecordsAlreadyRolled,
    long Accepted,
    long Duplicates,
    IReadOnlyDictionary<string, int> Entities,
    DateTimeOffset? Watermark,
    string SnapshotPath,
    long SnapshotSequence);
