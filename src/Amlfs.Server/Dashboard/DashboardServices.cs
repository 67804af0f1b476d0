using Amlfs.Server.Decisions;
using Amlfs.Server.Hosting;
using Amlfs.Server.Observability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Dashboard;

/// <summary>Registers the dashboard: its files, its one sampler and broadcast, and what its pages read.</summary>
internal static class DashboardServices
{
    /// <summary>The route whose latency the overview charts.</summary>
    public const string PredictRoute = "/predict";

    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Add(DashboardJsonContext.Default));
        services.AddSingleton<DashboardAssets>();
        services.AddSingleton(_ => new RouteLatency(PredictRoute));
        services.AddSingleton<DecisionCounters>();
        services.AddSingleton(_ => new OverviewRing());
        services.AddSingleton<OverviewBroadcast>();
        services.AddSingleton<OverviewSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<OverviewSampler>());
        services.AddSingleton<TypologySignals>();
        services.AddSingleton(sp => new DecisionArchive(sp.GetRequiredService<ServerSettings>().DataDirectory, sp.GetRequiredService<ILogger<DecisionArchive>>()));
        services.AddSingleton<DecisionQueries>();
        services.AddSingleton<EntityQueries>();
        services.AddSingleton<ModelQueries>();
        // The alert rules' service registers its own source first when the process runs alert rules.
        services.TryAddSingleton<IRaisedAlerts, NoRaisedAlerts>();
        return services;
    }
}
