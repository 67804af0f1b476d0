namespace Amlfs.Storage;

/// <summary>What <see cref="EmbeddedStore.Open"/> did to bring the engine back.</summary>
/// <param name="SnapshotSequence">The log sequence the restored snapshot covers, or null when the whole log was replayed.</param>
/// <param name="SnapshotsSkipped">Newer snapshots passed over: damaged, written for other definitions, or out of the log's range.</param>
/// <param name="RecordsReplayed">Log records fed to the engine after the snapshot.</param>
/// <param name="RecordsNotAccepted">Replayed records the engine did not accept again; 0 unless the engine's admission
/// rules changed (the log holds exactly the accepted history, in order). Reported, never thrown.</param>
/// <param name="TornBytesTruncated">Bytes of a torn tail cut off the log's last segment.</param>
/// <param name="LastSequence">The log's last sequence after recovery: the engine's state covers exactly records up to it.</param>
/// <param name="Elapsed">Time taken, by the store's clock.</param>
public sealed record RecoveryReport(
    long? SnapshotSequence,
    int SnapshotsSkipped,
    long RecordsReplayed,
    long RecordsNotAccepted,
    long TornBytesTruncated,
    long LastSequence,
    TimeSpan Elapsed);
