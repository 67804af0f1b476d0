using Amlfs.Logging;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Hosting;

internal sealed partial class RetentionService
{
    [LoggerMessage(EventId = AmlfsEventId.RetentionSwept, Level = LogLevel.Information, Message = "Retention: deleted {Count} day partitions or files of {Store} older than {Period} (before {Cutoff})")]
    private static partial void LogSwept(ILogger logger, int count, string store, string period, DateOnly cutoff);

    [LoggerMessage(EventId = AmlfsEventId.RetentionSweepFailed, Level = LogLevel.Warning, Message = "Retention: the sweep failed; the next one tries again")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
