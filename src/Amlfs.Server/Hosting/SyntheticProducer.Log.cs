using Amlfs.Logging;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Hosting;

internal sealed partial class SyntheticProducer
{
    [LoggerMessage(EventId = AmlfsEventId.ProducerStarted, Level = LogLevel.Information, Message = "Synthetic producer streaming {Rate} transactions per second")]
    private static partial void LogStarted(ILogger logger, double rate);

    [LoggerMessage(EventId = AmlfsEventId.ProducerFailed, Level = LogLevel.Error, Message = "Synthetic producer stopped: {Reason}")]
    private static partial void LogFailed(ILogger logger, string? reason);
}
