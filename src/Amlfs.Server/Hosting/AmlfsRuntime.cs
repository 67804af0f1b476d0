using Amlfs.Engine;
using Amlfs.Scoring;
using Amlfs.Server.FeatureLogging;
using Amlfs.Server.Ingestion;
using Amlfs.Server.Observability;
using Amlfs.Server.Serving;
using Amlfs.Storage;
using Amlfs.Transactions;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Hosting;

/// <summary>
/// Everything one server process runs besides HTTP, built once at start and disposed after the host stops, in the order
/// its parts need. Two kinds: <see cref="EmbeddedRuntime"/> (the engine, the durable store, ingest) and
/// <see cref="ReplicaRuntime"/> (a stateless reader of an online store). Both hold the active definitions and the risk
/// model, and provide the same capabilities (a feature source, an ingest service, the components of <c>/health</c>),
/// which <see cref="RuntimeServices.AddAmlfsRuntime"/> registers as services: nothing outside this namespace knows
/// which kind runs.
/// </summary>
internal abstract class AmlfsRuntime : IDisposable
{
    private protected AmlfsRuntime(ServerSettings settings, TimeProvider clock, ServerMetrics metrics, ILoggerFactory loggers)
    {
        Settings = settings;
        Clock = clock;
        Logger = loggers.CreateLogger("Amlfs.Server");
        Definitions = new ActiveDefinitions(new RegistryStore(settings.DataDirectory).Active);
        EngineOptions = EngineOptions.From(Definitions.Registry.Definition) with { ShardCount = settings.ShardCount };
        Model = LoadRiskModel(settings, Definitions.Customer);
        FeatureQuality = metrics.ObserveDefinitions(Definitions.Plan);
    }

    public ServerSettings Settings { get; }

    public TimeProvider Clock { get; }

    public ActiveDefinitions Definitions { get; }

    public EngineOptions EngineOptions { get; }

    public RulesRiskModel Model { get; }

    /// <summary>Counts the missing and out-of-range values of the vectors served, for <c>/metrics</c>.</summary>
    public FeatureQuality FeatureQuality { get; }

    /// <summary>Where feature values come from.</summary>
    public abstract IFeatureSource Features { get; }

    /// <summary>Where transactions go.</summary>
    public abstract IIngestService Ingest { get; }

    /// <summary>The feature log, when <see cref="ServerSettings.LogFeatures"/> is on (embedded only).</summary>
    public virtual FeatureLogger? FeatureLog => null;

    /// <summary>The components this kind reports in <c>/health</c>, in report order.</summary>
    public abstract IReadOnlyList<IComponentHealthCheck> HealthChecks { get; }

    private protected ILogger Logger { get; }

    /// <summary>The engine's and the pipeline's counters and gauges now; null for a runtime without an engine (a replica).</summary>
    public virtual EngineSignals? ReadEngineSignals() => null;

    /// <summary>
    /// The accepted transaction at <paramref name="sequence"/> of the write-ahead log while the log still holds it; null
    /// when it does not, or for a runtime without a log (a replica).
    /// </summary>
    public virtual Transaction? FindLogged(long sequence) => null;

    /// <summary>
    /// Builds the runtime the settings ask for: a replica when <see cref="ServerSettings.OnlineStore"/> is set, else
    /// the embedded engine with its store recovered. Throws with a clear message when settings are invalid.
    /// </summary>
    public static AmlfsRuntime Start(ServerSettings settings, TimeProvider clock, ServerMetrics metrics, ProducerStatus producer, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = settings.Validate();
        if (errors.Count > 0)
            throw new ServerSettingsException(errors);
        if (settings.OnlineStore is { } store)
            return new ReplicaRuntime(settings, store, clock, metrics, loggers);
        Directory.CreateDirectory(settings.DataDirectory);
        return new EmbeddedRuntime(settings, clock, metrics, producer, loggers);
    }

    public abstract void Dispose();

    private static RulesRiskModel LoadRiskModel(ServerSettings settings, EntityPlan? customer)
    {
        var names = customer is null
            ? []
            : customer.Features.Select(f => f.Name).Concat(customer.RequestFeatures.Select(f => f.Name)).ToArray();
        // Throws RulesModelConfigException naming the file line or environment variable of every bad entry.
        var environment = new Dictionary<string, string>(settings.Environment, StringComparer.Ordinal);
        var modelSettings = settings.RiskModelFile is { } file
            ? RulesModelConfig.LoadFile(file, environment, names)
            : RulesModelConfig.Parse(RulesModelConfig.DefaultText(), RulesModelConfig.DefaultFileName, environment, names);
        return new RulesRiskModel(modelSettings, names);
    }
}
