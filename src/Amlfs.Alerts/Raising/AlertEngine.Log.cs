using Amlfs.Logging;
using Microsoft.Extensions.Logging;

namespace Amlfs.Alerts.Raising;

/// <summary>The log messages of <see cref="AlertEngine"/>.</summary>
public sealed partial class AlertEngine
{
    [LoggerMessage(EventId = AmlfsEventId.AlertOutboxRecovered, Level = LogLevel.Information,
        Message = "Alerts: outbox read, {Alerts} alerts kept, {Pending} deliveries still to make, {Dropped} old alerts compacted away")]
    private static partial void LogOutboxRecovered(ILogger logger, int alerts, int pending, int dropped);

    [LoggerMessage(EventId = AmlfsEventId.AlertOutboxTailCut, Level = LogLevel.Warning,
        Message = "Alerts: cut {Bytes} bytes of torn tail off the outbox {Path}")]
    private static partial void LogOutboxTailCut(ILogger logger, long bytes, string path);

    [LoggerMessage(EventId = AmlfsEventId.AlertOutboxWriteFailed, Level = LogLevel.Error,
        Message = "Alerts: could not write {Count} raised alerts to the outbox; they are delivered from memory but lost if the process stops first")]
    private static partial void LogOutboxWriteFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = AmlfsEventId.AlertChannelGone, Level = LogLevel.Warning,
        Message = "Alerts: alert {Sequence} was to go to channel {Channel}, which the alerts file no longer declares; given up")]
    private static partial void LogChannelGone(ILogger logger, long sequence, string channel);

    [LoggerMessage(EventId = AmlfsEventId.AlertRaised, Level = LogLevel.Debug,
        Message = "Alerts: raised alert {Sequence} of rule {Rule} ({DedupeKey}): {Summary}")]
    private static partial void LogAlertRaised(ILogger logger, long sequence, string rule, string dedupeKey, string summary);

    [LoggerMessage(EventId = AmlfsEventId.AuditRecordFailed, Level = LogLevel.Error,
        Message = "Alerts: alert {Sequence} of rule {Rule} was raised but could not be recorded in the audit trail")]
    private static partial void LogAuditFailed(ILogger logger, long sequence, string rule, Exception exception);
}
