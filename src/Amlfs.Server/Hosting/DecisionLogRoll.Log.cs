using Amlfs.Logging;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Hosting;

/// <summary>The log messages of <see cref="DecisionLogRoll"/>.</summary>
internal sealed partial class DecisionLogRoll
{
    [LoggerMessage(EventId = AmlfsEventId.DecisionLogRolled, Level = LogLevel.Information,
        Message = "Decisions: rolled {Records} decisions into the offline store ({Files} files); rolled through sequence {Sequence}")]
    private static partial void LogRolled(ILogger logger, long records, int files, long sequence);

    [LoggerMessage(EventId = AmlfsEventId.DecisionLogRollFailed, Level = LogLevel.Warning, Message = "Decisions: rolling the decision log into the offline store failed; the next sealed segment tries again")]
    private static partial void LogRollFailed(ILogger logger, Exception exception);
}
