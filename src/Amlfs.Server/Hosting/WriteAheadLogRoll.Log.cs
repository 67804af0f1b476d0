using Amlfs.Logging;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Hosting;

/// <summary>The log messages of <see cref="WriteAheadLogRoll"/>.</summary>
internal sealed partial class WriteAheadLogRoll
{
    [LoggerMessage(EventId = AmlfsEventId.LogRolled, Level = LogLevel.Information, Message = "Rolled {Records} log records into the offline store ({Files} files); rolled through sequence {Sequence}")]
    private static partial void LogRolled(ILogger logger, long records, int files, long sequence);

    [LoggerMessage(EventId = AmlfsEventId.LogRollFailed, Level = LogLevel.Warning, Message = "Rolling the log into the offline store failed; the log keeps the records and the next roll tries again")]
    private static partial void LogRollFailed(ILogger logger, Exception exception);
}
