using Amlfs.Logging;
using Microsoft.Extensions.Logging;

namespace Amlfs.Kafka.Workers;

internal sealed partial class PartitionRestorer
{
    [LoggerMessage(EventId = AmlfsEventId.PartitionRestored, Level = LogLevel.Information, Message = "Worker: restored {Partition} from its checkpoint at offset {Offset} ({Bytes} bytes)")]
    private static partial void LogRestored(ILogger logger, string partition, long offset, int bytes);

    [LoggerMessage(EventId = AmlfsEventId.CheckpointOtherLayout, Level = LogLevel.Warning, Message = "Worker: the checkpoint of {Partition} was written for other definitions or engine settings; rebuilding it from the start of the partition")]
    private static partial void LogCheckpointOtherLayout(ILogger logger, string partition);

    [LoggerMessage(EventId = AmlfsEventId.CheckpointCorrupt, Level = LogLevel.Error, Message = "Worker: the checkpoint of {Partition} is corrupt ({Reason}); rebuilding it from the start of the partition")]
    private static partial void LogCheckpointCorrupt(ILogger logger, string partition, string reason);

    [LoggerMessage(EventId = AmlfsEventId.CheckpointReadFailed, Level = LogLevel.Warning, Message = "Worker: the checkpoint of {Partition} could not be read: {Reason}; will retry")]
    private static partial void LogCheckpointReadFailed(ILogger logger, string partition, string reason);
}
