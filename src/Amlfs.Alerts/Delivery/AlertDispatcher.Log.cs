using Amlfs.Logging;
using Microsoft.Extensions.Logging;

namespace Amlfs.Alerts.Delivery;

/// <summary>The log messages of <see cref="AlertDispatcher"/>.</summary>
internal sealed partial class AlertDispatcher
{
    [LoggerMessage(EventId = AmlfsEventId.AlertDeliveryRetry, Level = LogLevel.Debug,
        Message = "Alerts: attempt {Attempt} to deliver alert {Sequence} of rule {Rule} to {Channel} failed, next in {DelayMs} ms: {Error}")]
    private static partial void LogDeliveryRetry(ILogger logger, string rule, long sequence, string channel, int attempt, long delayMs, string? error);

    [LoggerMessage(EventId = AmlfsEventId.AlertDeliveryFailed, Level = LogLevel.Error,
        Message = "Alerts: gave up delivering alert {Sequence} of rule {Rule} to {Channel} after {Attempts} attempts: {Error}")]
    private static partial void LogDeliveryFailed(ILogger logger, string rule, long sequence, string channel, int attempts, string? error);

    [LoggerMessage(EventId = AmlfsEventId.AlertOutboxWriteFailed, Level = LogLevel.Error,
        Message = "Alerts: could not record a delivery outcome in the outbox; the delivery may be repeated after a restart")]
    private static partial void LogOutboxWriteFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = AmlfsEventId.AlertDeliveryLoopFailed, Level = LogLevel.Error, Message = "Alerts: the delivery loop failed; it goes on")]
    private static partial void LogDeliveryLoopFailed(ILogger logger, Exception exception);
}
