using Amlfs.Logging;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Ingestion;

internal sealed partial class IngestPipeline
{
    [LoggerMessage(EventId = AmlfsEventId.LogWriteFailed, Level = LogLevel.Critical, Message = "Writing the write-ahead log failed; ingest stops until restart")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = AmlfsEventId.SnapshotFailed, Level = LogLevel.Warning, Message = "Writing a snapshot failed; the log still holds every transaction")]
    private static partial void LogSnapshotFailed(ILogger logger, Exception exception);
}
