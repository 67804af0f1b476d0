using Amlfs.Logging;
using Microsoft.Extensions.Logging;

namespace Amlfs.Kafka.Workers;

internal sealed partial class OnlineStateWriter
{
    [LoggerMessage(EventId = AmlfsEventId.WorkerStoreUnavailable, Level = LogLevel.Warning, Message = "Worker: the online store at {Endpoint} is unavailable ({Reason}); consuming on, writing changed states when it is back")]
    private static partial void LogStoreUnavailable(ILogger logger, string endpoint, string reason);

    [LoggerMessage(EventId = AmlfsEventId.WorkerStoreBack, Level = LogLevel.Information, Message = "Worker: the online store is back; changed states written")]
    private static partial void LogStoreBack(ILogger logger);
}
