using Amlfs.Logging;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Hosting;

internal sealed partial class DecisionStream
{
    [LoggerMessage(EventId = AmlfsEventId.DecisionStreamFailed, Level = LogLevel.Error, Message = "Decisions: scoring streamed transactions failed; the stream stops until restart")]
    private static partial void LogStreamFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = AmlfsEventId.DecisionLogTailCut, Level = LogLevel.Warning, Message = "Decisions: cut {Bytes} torn bytes off the decision log's tail; those transactions are decided again")]
    private static partial void LogTailCut(ILogger logger, long bytes);

    [LoggerMessage(EventId = AmlfsEventId.DecisionsCannotCatchUp, Level = LogLevel.Error,
        Message = "Decisions: the write-ahead log no longer holds records {First}-{Last}, which were never decided; streaming decisions stay off for this data directory until the decision log is moved away")]
    private static partial void LogCannotCatchUp(ILogger logger, long first, long last);
}
