using Amlfs.Logging;
using Microsoft.Extensions.Logging;

namespace Amlfs.Kafka.Workers;

public sealed partial class KafkaWorker
{
    [LoggerMessage(EventId = AmlfsEventId.WorkerStarted, Level = LogLevel.Information, Message = "Worker: joined group {Group}; topics {Topics}; dead letters to {DeadLetter}; checkpoints in {Checkpoints}")]
    private static partial void LogStarted(ILogger logger, string group, string topics, string deadLetter, string checkpoints);

    [LoggerMessage(EventId = AmlfsEventId.PartitionsAssigned, Level = LogLevel.Information, Message = "Worker: assigned {Partitions}")]
    private static partial void LogAssigned(ILogger logger, string partitions);

    [LoggerMessage(EventId = AmlfsEventId.PartitionsRevoked, Level = LogLevel.Information, Message = "Worker: {How} {Partitions}")]
    private static partial void LogRevoked(ILogger logger, string how, string partitions);

    [LoggerMessage(EventId = AmlfsEventId.KafkaError, Level = LogLevel.Warning, Message = "Worker: Kafka {Client}: {Reason} ({Suppressed} more such messages in the last seconds not shown)")]
    private static partial void LogKafkaError(ILogger logger, string client, string reason, int suppressed);

    [LoggerMessage(EventId = AmlfsEventId.GroupLeaveTimedOut, Level = LogLevel.Warning, Message = "Worker: could not leave the consumer group within {Seconds} s (is Kafka reachable?); the group reassigns the partitions after its session timeout")]
    private static partial void LogCloseTimedOut(ILogger logger, double seconds);

    [LoggerMessage(EventId = AmlfsEventId.WorkerStopped, Level = LogLevel.Information, Message = "Worker: stopped after {Consumed} messages ({Accepted} accepted), {Checkpoints} checkpoints")]
    private static partial void LogStopped(ILogger logger, long consumed, long accepted, long checkpoints);
}
