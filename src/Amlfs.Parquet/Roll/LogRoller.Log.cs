using Amlfs.Logging;
using Microsoft.Extensions.Logging;

namespace Amlfs.Parquet.Roll;

/// <summary>The log messages of <see cref="LogRoller"/>.</summary>
public sealed partial class LogRoller
{
    [LoggerMessage(EventId = AmlfsEventId.RollRepaired, Level = LogLevel.Warning,
        Message = "Offline store: deleted the torn rolled batch {FirstSequence}-{LastSequence} ({Files} files); it rolls again from the log")]
    private static partial void LogTornBatchDeleted(ILogger logger, long firstSequence, long lastSequence, int files);

    [LoggerMessage(EventId = AmlfsEventId.RollIncompleteBatchKept, Level = LogLevel.Warning,
        Message = "Offline store: kept the incomplete rolled batch {FirstSequence}-{LastSequence}: the log starts at {LogFirstSequence}")]
    private static partial void LogIncompleteBatchKept(ILogger logger, long firstSequence, long lastSequence, long logFirstSequence);
}
