using Amlfs.Logging;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Dashboard;

internal sealed partial class DecisionQueries
{
    [LoggerMessage(EventId = AmlfsEventId.DashboardExplainFailed, Level = LogLevel.Debug, Message = "Dashboard: the explanation of {TransactionId} could not be recomputed")]
    private static partial void LogExplainFailed(ILogger logger, string transactionId, Exception exception);
}
