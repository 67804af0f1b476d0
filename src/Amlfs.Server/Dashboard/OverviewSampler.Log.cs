using Amlfs.Logging;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Dashboard;

internal sealed partial class OverviewSampler
{
    [LoggerMessage(EventId = AmlfsEventId.DashboardSampleFailed, Level = LogLevel.Warning, Message = "Dashboard: the overview sample of this second could not be taken; the next second tries again")]
    private static partial void LogSampleFailed(ILogger logger, Exception exception);
}
