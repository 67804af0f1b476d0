using Amlfs.Server.Dashboard;
using Amlfs.Server.Hosting;
using Amlfs.Server.Observability;
using Amlfs.Server.Serving;
using Microsoft.Extensions.DependencyInjection;

namespace Amlfs.Server.Alerting;

/// <summary>Registers the alert rules' service, the signals its system rules read, and what the dashboard reads of its alerts.</summary>
internal static class AlertingServices
{
    /// <summary>
    /// Registers <see cref="AlertService"/> as a hosted service in an embedded server. The host registers it before the
    /// runtime's services, so that it stops after the decision stream and the last decisions still raise their alerts.
    /// An API replica takes no decisions and runs no alert rules: in the distributed mode the Prometheus rules of
    /// <c>deploy/prometheus</c> watch the system, and a replica may share its data directory (registry, models) with others.
    /// </summary>
    public static IServiceCollection AddAmlfsAlerts(this IServiceCollection services, ServerSettings settings, TimeProvider clock)
    {
        if (settings.OnlineStore is not null)
            return services;
        services.AddSingleton(sp => new SystemSignals(sp.GetRequiredService<ServerMetrics>(), sp.GetRequiredService<ServerHealth>(), clock)
        {
            // The dashboard's sampler measures the /predict latency of each second; the alert rules read its newest.
            PredictP99Seconds = () => sp.GetService<OverviewRing>()?.Since(clock.GetUtcNow().ToUnixTimeMilliseconds(), 2) is { Count: > 0 } recent
                && recent[^1].PredictP99Ms is { } ms ? ms / 1000 : null,
            Drift = () => sp.GetRequiredService<ActiveRiskModel>().Current?.Drift?.Read(clock.GetUtcNow()),
        });
        services.AddSingleton<AlertService>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertService>());
        // The dashboard's alerts page lists what the rules raised; where no rules run, it registers a source with none.
        services.AddSingleton<IRaisedAlerts, RecentRaisedAlerts>();
        return services;
    }
}
