using Amlfs.Audit;
using Amlfs.Server.Decisions;
using Amlfs.Server.Observability;
using Amlfs.Server.Serving;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Hosting;

/// <summary>Registers what a server process runs besides HTTP, as the capabilities the API asks for.</summary>
internal static class RuntimeServices
{
    /// <summary>
    /// Registers the settings, the clock, the metrics, the audit trail and the runtime the settings ask for, with the capabilities it
    /// provides: the active definitions, the feature source, the ingest service, the scorer, the feature reader and the
    /// health of the process; with a producer rate, the synthetic producer too. The runtime is built when first asked
    /// for, which recovers the store: the host asks before it opens the port.
    /// </summary>
    public static IServiceCollection AddAmlfsRuntime(this IServiceCollection services, ServerSettings settings, TimeProvider clock)
    {
        services.AddSingleton(settings);
        services.AddSingleton(clock);
        services.AddSingleton<ServerMetrics>();
        services.AddSingleton(sp => sp.GetRequiredService<ServerMetrics>().AuthRejections);
        services.AddSingleton<ProducerStatus>();
        // One audit trail per process, in the data directory, which stays local in the distributed mode too; other
        // processes (CLI commands) append to the same files under its lock.
        services.AddSingleton<IAuditTrail>(sp => new AuditLog(settings.DataDirectory, clock, sp.GetRequiredService<ILoggerFactory>().CreateLogger<AuditLog>()));
        services.AddSingleton(sp => AmlfsRuntime.Start(
            settings, clock, sp.GetRequiredService<ServerMetrics>(), sp.GetRequiredService<ProducerStatus>(), sp.GetRequiredService<ILoggerFactory>()));
        // The runtime owns these and releases them in its own order when the container disposes it; none of them is
        // disposable, so the container, which disposes what its factories return, leaves them to it.
        services.AddSingleton(sp => Runtime(sp).Definitions);
        services.AddSingleton(sp => Runtime(sp).Features);
        services.AddSingleton(sp => Runtime(sp).Ingest);
        services.AddSingleton(sp =>
        {
            var models = new ActiveRiskModel(
                settings.DataDirectory, ModelInputs(Runtime(sp).Definitions), clock, sp.GetRequiredService<ILoggerFactory>().CreateLogger("Amlfs.Server.Models"));
            // The drift gauges follow whichever learned model decides: its sliding day, read at each scrape.
            sp.GetRequiredService<ServerMetrics>().ObserveDrift(() => models.Current?.Drift?.Read(clock.GetUtcNow()));
            return models;
        });
        services.AddSingleton(sp => new TransactionScorer(
            Runtime(sp).Definitions, Runtime(sp).Model, sp.GetRequiredService<ActiveRiskModel>(), Runtime(sp).Features, sp.GetRequiredService<ServerMetrics>(),
            Runtime(sp).FeatureQuality, Runtime(sp).FeatureLog, clock));
        services.AddSingleton(sp => new FeatureReader(Runtime(sp).Definitions, Runtime(sp).Features, Runtime(sp).FeatureQuality, Runtime(sp).FeatureLog, clock));
        services.AddSingleton(sp => new ServerHealth([.. Runtime(sp).HealthChecks, new ModelHealthCheck(Runtime(sp).Model, sp.GetRequiredService<ActiveRiskModel>(), Runtime(sp).Definitions)]));
        // Hosted services stop in reverse order: the producer first, then the decision stream (the last transactions
        // produced are decided too), then the alerts, which the host registers before this (the last decisions raise
        // their alerts too).
        services.AddSingleton(_ => new DecisionFeed(settings.DecisionFeedCapacity));
        services.AddSingleton<DecisionStream>();
        services.AddHostedService(sp => sp.GetRequiredService<DecisionStream>());
        if (settings.DecisionSource is { } source)
            services.AddHostedService(sp => new DecisionSourceService(source, sp.GetRequiredService<DecisionFeed>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Amlfs.Decisions")));
        if (settings.ProducerRate is not null)
            services.AddHostedService<SyntheticProducer>();
        if (settings.OnlineStore is null) // a replica keeps no files
            services.AddHostedService<RetentionService>();
        return services;
    }

    /// <summary>The inputs a learned model may read under the active definitions (none without a customer entity).</summary>
    private static IReadOnlyList<string> ModelInputs(ActiveDefinitions definitions) =>
        definitions.Layout?.Names ?? [];

    private static AmlfsRuntime Runtime(IServiceProvider services) => services.GetRequiredService<AmlfsRuntime>();
}
