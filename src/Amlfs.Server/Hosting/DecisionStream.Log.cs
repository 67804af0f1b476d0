using Amlfs.Logging;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Hosting;

internal sealed partial class DecisionStream
{
    [LoggerMessage(EventId = AmlfsEventId.DecisionLogWriteFailed, Level = LogLevel.Warning, Message = "Decisions: writing {Count} decisions failed; they are written with the next batch")]
    private static partial void LogWriteFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = AmlfsEventId.DecisionStreamFailed, Level = LogLevel.Error, Message = "Decisions: scoring streamed transactions failed; the stream stops until restart")]
    private static partial void LogStreamFailed(ILogger logger, Exception exception);
}
