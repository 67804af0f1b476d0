using Amlfs.Logging;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Serving;

internal sealed partial class OnlineStoreFeatureSource
{
    [LoggerMessage(EventId = AmlfsEventId.OnlineStoreUnavailable, Level = LogLevel.Warning, Message = "Feature reads answer 503 until the online store is back: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = AmlfsEventId.OnlineStoreAvailableAgain, Level = LogLevel.Information, Message = "The online store answers again")]
    private static partial void LogAvailableAgain(ILogger logger);
}
