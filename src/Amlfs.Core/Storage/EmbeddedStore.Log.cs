using Amlfs.Engine;
using Amlfs.Logging;
using Microsoft.Extensions.Logging;

namespace Amlfs.Storage;

/// <summary>The log messages of <see cref="EmbeddedStore"/>.</summary>
public sealed partial class EmbeddedStore
{
    [LoggerMessage(EventId = AmlfsEventId.LogTailCut, Level = LogLevel.Warning,
        Message = "Store: cut {Bytes} bytes of torn tail off the write-ahead log: {Truncation}")]
    private static partial void LogTailCut(ILogger logger, long bytes, string truncation);

    [LoggerMessage(EventId = AmlfsEventId.SnapshotSkipped, Level = LogLevel.Warning, Message = "Store: skipping snapshot {Snapshot}: {Reason}")]
    private static partial void LogSnapshotSkipped(ILogger logger, string snapshot, string reason);

    [LoggerMessage(EventId = AmlfsEventId.SnapshotRestored, Level = LogLevel.Information, Message = "Store: restored snapshot {Snapshot} (sequence {Sequence})")]
    private static partial void LogSnapshotRestored(ILogger logger, string snapshot, long sequence);

    [LoggerMessage(EventId = AmlfsEventId.RebuildingFromShortenedLog, Level = LogLevel.Warning,
        Message = "Store: rebuilding from the log alone, which starts at sequence {FirstSequence}: retention deleted the history older than {Retention} before its newest event")]
    private static partial void LogRebuildingFromShortenedLog(ILogger logger, long firstSequence, string retention);

    [LoggerMessage(EventId = AmlfsEventId.ReplayProgress, Level = LogLevel.Information,
        Message = "Store: replayed {Replayed} log records (to sequence {Sequence} of {LastSequence})")]
    private static partial void LogReplayProgress(ILogger logger, long replayed, long sequence, long lastSequence);

    [LoggerMessage(EventId = AmlfsEventId.ReplayNotAccepted, Level = LogLevel.Warning,
        Message = "Store: replay did not accept transaction '{TransactionId}' (sequence {Sequence}): {Status}")]
    private static partial void LogReplayNotAccepted(ILogger logger, string transactionId, long sequence, IngestStatus status);

    [LoggerMessage(EventId = AmlfsEventId.Recovered, Level = LogLevel.Information,
        Message = "Store: recovered to sequence {Sequence}: {Start}, {Replayed} records replayed ({NotAccepted} not accepted) in {ElapsedMs} ms")]
    private static partial void LogRecovered(ILogger logger, long sequence, string start, long replayed, long notAccepted, long elapsedMs);

    [LoggerMessage(EventId = AmlfsEventId.SnapshotWritten, Level = LogLevel.Information,
        Message = "Store: snapshot at sequence {Sequence} written in {ElapsedMs} ms; {Deleted} log segments deleted, {Kept} kept")]
    private static partial void LogSnapshotWritten(ILogger logger, long sequence, long elapsedMs, int deleted, int kept);
}
