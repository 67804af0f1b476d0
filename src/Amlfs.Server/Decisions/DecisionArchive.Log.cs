using Amlfs.Logging;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Decisions;

internal sealed partial class DecisionArchive
{
    [LoggerMessage(EventId = AmlfsEventId.DecisionLookupFailed, Level = LogLevel.Warning, Message = "Decisions: looking up {TransactionId} in the {Store} failed")]
    private static partial void LogLookupFailed(ILogger logger, string transactionId, string store, Exception exception);
}
