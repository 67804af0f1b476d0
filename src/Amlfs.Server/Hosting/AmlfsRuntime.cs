using Amlfs.Engine;
using Amlfs.Scoring;
using Amlfs.Server.Api;
using Amlfs.Server.FeatureLogging;
using Amlfs.Server.Observability;
using Amlfs.Server.Serving;
using Amlfs.Storage;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Hosting;

/// <summary>
/// Everything one server process runs besides HTTP. Two kinds: <see cref="EmbeddedRuntime"/> (the engine, the durable
/// store, ingest) and <see cref="ReplicaRuntime"/> (a stateless reader of an online store). Both hold the active
/// definitions, the risk model, the metrics and an <see cref="IFeatureSource"/> that the read and scoring endpoints use
/// without knowing which kind runs. Built once at start.
/// </summary>
internal abstract class AmlfsRuntime : IDisposable
{
    private protected AmlfsRuntime(ServerSettings settings, TimeProvider clock, ILoggerFactory loggers)
    {
        Settings = settings;
        Clock = clock;
        Logger = loggers.CreateLogger("Amlfs.Server");
        Registry = new RegistryStore(settings.DataDirectory).Active;
        Plan = FeaturePlan.Compile(Registry.Definition);
        Customer = Plan.Entity("customer");
        Merchant = Plan.Entity("merchant");
        EngineOptions = EngineOptions.From(Registry.Definition) with { ShardCount = settings.ShardCount };
        Scorer = new TransactionScorer(Customer, Merchant, LoadRiskModel(settings, Customer));
    }

    public ServerSettings Settings { get; }

    public TimeProvider Clock { get; }

    public RegistryVersion Registry { get; }

    public FeaturePlan Plan { get; }

    public EngineOptions EngineOptions { get; }

    /// <summary>The customer entity of the plan, or null when the definitions have none (scoring is then off).</summary>
    public EntityPlan? Customer { get; }

    public EntityPlan? Merchant { get; }

    public TransactionScorer Scorer { get; }

    public ServerMetrics Metrics { get; } = new();

    /// <summary>Where feature values come from.</summary>
    public abstract IFeatureSource Features { get; }

    /// <summary>The feature log, when <see cref="ServerSettings.LogFeatures"/> is on (embedded only).</summary>
    public virtual FeatureLogger? FeatureLog => null;

    public long NowMs => Clock.GetUtcNow().ToUnixTimeMilliseconds();

    private protected ILogger Logger { get; }

    /// <summary>
    /// Builds the runtime the settings ask for: a replica when <see cref="ServerSettings.OnlineStore"/> is set, else
    /// the embedded engine with its store recovered. Throws with a clear message when settings are invalid.
    /// </summary>
    public static AmlfsRuntime Start(ServerSettings settings, TimeProvider clock, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = settings.Validate();
        if (errors.Count > 0)
            throw new ServerSettingsException(errors);
        if (settings.OnlineStore is { } store)
            return new ReplicaRuntime(settings, store, clock, loggers);
        Directory.CreateDirectory(settings.DataDirectory);
        return new EmbeddedRuntime(settings, clock, loggers);
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
