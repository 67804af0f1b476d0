using Amlfs.Audit;
using Amlfs.Retention;
using Amlfs.Server.Observability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Hosting;

/// <summary>
/// Enforces the data directory's retention periods (<see cref="ServerSettings.Retention"/>) in the embedded server: a
/// <see cref="RetentionSweep"/> when the server starts and every <see cref="ServerSettings.RetentionSweepInterval"/>
/// after, on the injected clock. A sweep that deletes something records it in the audit trail as <c>system</c>, logs
/// it, and counts it in <c>amlfs_retention_deleted_total</c>; one that fails is logged and the next tries again.
/// </summary>
internal sealed partial class RetentionService(ServerSettings settings, TimeProvider clock, IAuditTrail audit, ServerMetrics metrics, ILogger<RetentionService> logger)
    : BackgroundService
{
    private readonly RetentionSweep _sweep = new(settings.DataDirectory, settings.Retention, clock);

    /// <summary>Sweeps once now; what the periodic loop runs.</summary>
    public RetentionReport? SweepOnce()
    {
        try
        {
            var report = _sweep.Run(dryRun: false, audit);
            foreach (var store in report.Stores.Where(s => s.Expired.Count > 0))
            {
                metrics.RecordRetentionDeleted(store.Store, store.Expired.Count);
                LogSwept(logger, store.Expired.Count, store.Store, RetentionSettings.Format(store.Period), store.Cutoff);
            }

            return report;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            LogSweepFailed(logger, e);
            return null;
        }
    }

    /// <summary>Sweeps once before the server opens its port (deleting whole directories is quick), then starts the periodic loop.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        SweepOnce();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(settings.RetentionSweepInterval, clock, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            SweepOnce();
        }
    }
}
