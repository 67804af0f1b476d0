using Amlfs.Logging;
using Microsoft.Extensions.Logging;

namespace Amlfs.Kafka.Workers;

internal sealed partial class OnlineStateWriter
{
    [LoggerMessage(EventId = AmlfsEventId.WorkerStoreUnavailable, Level = LogLevel.Warning, Message = "Worker: the online store at {Endpoint} is unavailable ({Reason}); consuming on, writing changed states when it is back")]
    private static partial void LogStoreUnavailable(ILogger logger, string endpoint, string reason);

    [LoggerMessage(EventId = AmlfsEventId.WorkerStoreBack, Level = LogLevel.Information, Message = "Worker: the online store is back; changed states written")]
    private static partial void LogStoreBack(ILogger logger);

    [LoggerMessage(EventId = AmlfsEventId.StaleStatesRefused, Level = LogLevel.Debug, Message = "Worker: the online store refused {Stale} of {Written} entity states as older than the ones it holds (a replay behind what was written, or a newer owner of the partition)")]
    private static partial void LogStaleStates(ILogger logger, int stale, int written);

    [LoggerMessage(EventId = AmlfsEventId.EpochRetry, Level = LogLevel.Warning, Message = "Worker: the online store could not give an ownership epoch for the partitions assigned ({Reason}); will retry")]
    private static partial void LogEpochRetry(ILogger logger, string reason);
}
