using Amlfs.Logging;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Cases;

internal sealed partial class CaseService
{
    [LoggerMessage(EventId = AmlfsEventId.CasesRecovered, Level = LogLevel.Information,
        Message = "Cases: {Count} cases replayed from the case log ({TruncatedBytes} bytes of torn tail cut: {Truncation})")]
    private static partial void LogRecovered(ILogger logger, int count, long truncatedBytes, string truncation);

    [LoggerMessage(EventId = AmlfsEventId.CaseOpened, Level = LogLevel.Information,
        Message = "Cases: {CaseId} opened for {EntityType} {EntityId} by alert {AlertSequence}")]
    private static partial void LogCaseOpened(ILogger logger, string caseId, string entityType, string entityId, long alertSequence);

    [LoggerMessage(EventId = AmlfsEventId.CaseFilingFailed, Level = LogLevel.Error,
        Message = "Cases: alert {AlertSequence} about {EntityId} could not be filed into a case; it is filed at the next start")]
    private static partial void LogFilingFailed(ILogger logger, long alertSequence, string entityId, Exception exception);

    [LoggerMessage(EventId = AmlfsEventId.CaseLabelsWritten, Level = LogLevel.Information,
        Message = "Cases: {CaseId} closed; {Count} labels written to the label table ({File})")]
    private static partial void LogLabelsWritten(ILogger logger, string caseId, int count, string file);

    [LoggerMessage(EventId = AmlfsEventId.CaseLabelsFailed, Level = LogLevel.Error,
        Message = "Cases: the labels of {CaseId} could not be written; they are written at the next start")]
    private static partial void LogLabelsFailed(ILogger logger, string caseId, Exception exception);
}
