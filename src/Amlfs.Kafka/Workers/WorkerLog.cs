using Amlfs.Logging;
using Microsoft.Extensions.Logging;

namespace Amlfs.Kafka.Workers;

/// <summary>The log messages of <see cref="KafkaWorker"/>, with their ids from <see cref="AmlfsEventId"/>.</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(EventId = AmlfsEventId.WorkerStarted, Level = LogLevel.Information, Message = "Worker: joined group {Group}; topics {Topics}; dead letters to {DeadLetter}; checkpoints in {Checkpoints}")]
    public static partial void LogStarted(ILogger logger, string group, string topics, string deadLetter, string checkpoints);

    [LoggerMessage(EventId = AmlfsEventId.PartitionsAssigned, Level = LogLevel.Information, Message = "Worker: assigned {Partitions}")]
    public static partial void LogAssigned(ILogger logger, string partitions);

    [LoggerMessage(EventId = AmlfsEventId.PartitionsRevoked, Level = LogLevel.Information, Message = "Worker: {How} {Partitions}")]
    public static partial void LogRevoked(ILogger logger, string how, string partitions);

    [LoggerMessage(EventId = AmlfsEventId.PartitionRestored, Level = LogLevel.Information, Message = "Worker: restored {Partition} from its checkpoint at offset {Offset} ({Bytes} bytes)")]
    public static partial void LogRestored(ILogger logger, string partition, long offset, int bytes);

    [LoggerMessage(EventId = AmlfsEventId.CheckpointOtherLayout, Level = LogLevel.Warning, Message = "Worker: the checkpoint of {Partition} was written for other definitions or engine settings; rebuilding it from the start of the partition")]
    public static partial void LogCheckpointOtherLayout(ILogger logger, string partition);

    [LoggerMessage(EventId = AmlfsEventId.CheckpointCorrupt, Level = LogLevel.Error, Message = "Worker: the checkpoint of {Partition} is corrupt ({Reason}); rebuilding it from the start of the partition")]
    public static partial void LogCheckpointCorrupt(ILogger logger, string partition, string reason);

    [LoggerMessage(EventId = AmlfsEventId.CheckpointFailed, Level = LogLevel.Warning, Message = "Worker: the checkpoint of {Partition} could not be saved or read: {Reason}; will retry")]
    public static partial void LogCheckpointFailed(ILogger logger, string partition, string reason);

    [LoggerMessage(EventId = AmlfsEventId.WorkerStoreUnavailable, Level = LogLevel.Warning, Message = "Worker: the online store at {Endpoint} is unavailable ({Reason}); consuming on, writing changed states when it is back")]
    public static partial void LogStoreUnavailable(ILogger logger, string endpoint, string reason);

    [LoggerMessage(EventId = AmlfsEventId.WorkerStoreBack, Level = LogLevel.Information, Message = "Worker: the online store is back; changed states written")]
    public static partial void LogStoreBack(ILogger logger);

    [LoggerMessage(EventId = AmlfsEventId.KafkaError, Level = LogLevel.Warning, Message = "Worker: Kafka {Client}: {Reason} ({Suppressed} more such messages in the last seconds not shown)")]
    public static partial void LogKafkaError(ILogger logger, string client, string reason, int suppressed);

    [LoggerMessage(EventId = AmlfsEventId.GroupLeaveTimedOut, Level = LogLevel.Warning, Message = "Worker: could not leave the consumer group within {Seconds} s (is Kafka reachable?); the group reassigns the partitions after its session timeout")]
    public static partial void LogCloseTimedOut(ILogger logger, double seconds);

    [LoggerMessage(EventId = AmlfsEventId.OffsetNotStored, Level = LogLevel.Debug, Message = "Worker: the offset of {Partition} could not be stored for commit ({Reason}); the checkpoint stands")]
    public static partial void LogOffsetNotStored(ILogger logger, string partition, string reason);

    [LoggerMessage(EventId = AmlfsEventId.WorkerStopped, Level = LogLevel.Information, Message = "Worker: stopped after {Consumed} messages ({Accepted} accepted), {Checkpoints} checkpoints")]
    public static partial void LogStopped(ILogger logger, long consumed, long accepted, long checkpoints);
}
