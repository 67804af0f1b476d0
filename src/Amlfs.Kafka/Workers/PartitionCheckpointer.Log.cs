using Amlfs.Logging;
using Microsoft.Extensions.Logging;

namespace Amlfs.Kafka.Workers;

internal sealed partial class PartitionCheckpointer
{
    [LoggerMessage(EventId = AmlfsEventId.CheckpointFailed, Level = LogLevel.Warning, Message = "Worker: the checkpoint of {Partition} could not be saved: {Reason}; will retry")]
    private static partial void LogCheckpointFailed(ILogger logger, string partition, string reason);

    [LoggerMessage(EventId = AmlfsEventId.OffsetNotStored, Level = LogLevel.Debug, Message = "Worker: the offset of {Partition} could not be stored for commit ({Reason}); the checkpoint stands")]
    private static partial void LogOffsetNotStored(ILogger logger, string partition, string reason);
}
