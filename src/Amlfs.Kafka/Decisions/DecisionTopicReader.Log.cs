using Amlfs.Logging;
using Microsoft.Extensions.Logging;

namespace Amlfs.Kafka.Decisions;

public sealed partial class DecisionTopicReader
{
    [LoggerMessage(EventId = AmlfsEventId.DecisionTopicFollowed, Level = LogLevel.Information, Message = "Decisions: following {Topic} ({Partitions} partitions) from its newest {Backlog} decisions")]
    private static partial void LogFollowing(ILogger logger, string topic, int partitions, int backlog);

    [LoggerMessage(EventId = AmlfsEventId.DecisionMessageUnreadable, Level = LogLevel.Warning, Message = "Decisions: {Source}: {Reason} ({Suppressed} more such messages in the last seconds not shown)")]
    private static partial void LogUnreadable(ILogger logger, string source, string reason, int suppressed);
}
