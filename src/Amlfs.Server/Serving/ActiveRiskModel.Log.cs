using Amlfs.Logging;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Serving;

internal sealed partial class ActiveRiskModel
{
    [LoggerMessage(EventId = AmlfsEventId.ModelActivated, Level = LogLevel.Information, Message = "Scoring with model {Version}")]
    private static partial void LogActivated(ILogger logger, string version);

    [LoggerMessage(EventId = AmlfsEventId.ModelLoadFailed, Level = LogLevel.Error, Message = "The active model cannot score; the previous model keeps scoring: {Reason}")]
    private static partial void LogLoadFailed(ILogger logger, string reason);
}
