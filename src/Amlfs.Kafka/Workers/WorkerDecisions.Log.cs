using Amlfs.Logging;
using Microsoft.Extensions.Logging;

namespace Amlfs.Kafka.Workers;

internal sealed partial class WorkerDecisions
{
    [LoggerMessage(EventId = AmlfsEventId.WorkerDecisionsWaiting, Level = LogLevel.Warning, Message = "Worker: {Count} transactions wait for their decisions: their features cannot be read now; trying again")]
    private static partial void LogDecisionsWaiting(ILogger logger, int count);

    [LoggerMessage(EventId = AmlfsEventId.WorkerDecisionsBack, Level = LogLevel.Information, Message = "Worker: deciding again")]
    private static partial void LogDecisionsBack(ILogger logger);
}
