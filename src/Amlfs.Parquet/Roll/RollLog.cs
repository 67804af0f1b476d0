using Amlfs.Logging;
using Microsoft.Extensions.Logging;

namespace Amlfs.Parquet.Roll;

/// <summary>The log messages of <see cref="SequencedRoll{TRecord}"/>, for every table rolled from a log.</summary>
internal static partial class RollLog
{
    [LoggerMessage(EventId = AmlfsEventId.RollRepaired, Level = LogLevel.Warning,
        Message = "Offline store: deleted the torn rolled batch {FirstSequence}-{LastSequence} of {Dataset} ({Files} files); it rolls again from the log")]
    public static partial void TornBatchDeleted(ILogger logger, string dataset, long firstSequence, long lastSequence, int files);

    [LoggerMessage(EventId = AmlfsEventId.RollIncompleteBatchKept, Level = LogLevel.Warning,
        Message = "Offline store: kept the incomplete rolled batch {FirstSequence}-{LastSequence} of {Dataset}: the log starts at {LogFirstSequence}")]
    public static partial void IncompleteBatchKept(ILogger logger, string dataset, long firstSequence, long lastSequence, long logFirstSequence);
}
