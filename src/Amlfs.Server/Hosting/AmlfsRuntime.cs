using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Scoring;
using Amlfs.Server.Api;
using Amlfs.Server.FeatureLogging;
using Amlfs.Server.Ingestion;
using Amlfs.Server.Observability;
using Amlfs.Storage;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Hosting;

/// <summary>
/// Everything one server process runs besides HTTP: the active definitions, the engine, the durable store (recovered
/// on start), the ingest pipeline, the roll of the log into the offline store, the risk model and the metrics. Built once
/// at start; disposing it drains ingest, rolls the rest of the log, writes a final snapshot and closes the log.
/// </summary>
internal sealed partial class AmlfsRuntime : IDisposable
{
    private readonly DeadLetterFile _deadLetters;
    private readonly ILogger _logger;
    private int _disposed;

    private AmlfsRuntime(ServerSettings settings, TimeProvider clock, ILoggerFactory loggers)
    {
        Settings = settings;
        Clock = clock;
        _logger = loggers.CreateLogger("Amlfs.Server");
        Registry = new RegistryStore(settings.DataDirectory).Active;
        Plan = FeaturePlan.Compile(Registry.Definition);
        Customer = Plan.Entity("customer");
        Merchant = Plan.Entity("merchant");
        EngineOptions = EngineOptions.From(Registry.Definition) with { ShardCount = settings.ShardCount };
        Scorer = new TransactionScorer(this, LoadRiskModel(settings, Customer));
        _deadLetters = new DeadLetterFile(Path.Combine(settings.DataDirectory, "dead-letter", "rejected.jsonl"));
        Engine = new FeatureEngine(Plan, EngineOptions, clock, _deadLetters);
        try
        {
            Store = EmbeddedStore.Open(
                new EmbeddedStoreOptions
                {
                    DataDirectory = settings.DataDirectory,
                    FlushPolicy = settings.FlushPolicy,
                    SnapshotInterval = settings.SnapshotInterval,
                    SegmentBytes = settings.WalSegmentBytes,
                    LogRetention = TimeSpan.FromMilliseconds(EngineOptions.DedupRetentionMs),
                    RetainUnrolledLog = true,
                },
                Engine,
                clock,
                message => LogStore(_logger, message));
        }
        catch
        {
            Engine.Dispose();
            _deadLetters.Dispose();
            throw;
        }

        try
        {
            Roll = LogRollService.Start(Store, settings.DataDirectory, _logger);
        }
        catch
        {
            Store.Dispose();
            Engine.Dispose();
            _deadLetters.Dispose();
            throw;
        }

        Pipeline = new IngestPipeline(Engine, Store, settings.IngestQueueCapacity, _logger, Roll.SegmentSealed);
        if (settings.LogFeatures)
        {
            FeatureLog = new FeatureLogger(settings.DataDirectory, Plan, settings.FeatureLogFlushInterval, settings.FeatureLogCapacity, _logger);
            Metrics.ObserveFeatureLog(FeatureLog);
        }

        Metrics.Observe(ReadSignals);
    }

    public ServerSettings Settings { get; }

    public TimeProvider Clock { get; }

    public RegistryVersion Registry { get; }

    public FeaturePlan Plan { get; }

    public EngineOptions EngineOptions { get; }

    /// <summary>The customer entity of the plan, or null when the definitions have none (scoring is then off).</summary>
    public EntityPlan? Customer { get; }

    public EntityPlan? Merchant { get; }

    public FeatureEngine Engine { get; }

    public EmbeddedStore Store { get; }

    public IngestPipeline Pipeline { get; }

    /// <summary>The roll of the write-ahead log into the offline store.</summary>
    public LogRollService Roll { get; }

    public TransactionScorer Scorer { get; }

    /// <summary>The feature log, when <see cref="ServerSettings.LogFeatures"/> is on.</summary>
    public FeatureLogger? FeatureLog { get; }

    public ServerMetrics Metrics { get; } = new();

    /// <summary>The synthetic producer's state, when one runs in this process.</summary>
    public ProducerStatus Producer { get; } = new();

    public long NowMs => Clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Transactions waiting: queued for the ingest writer, or admitted and not yet applied by a shard.</summary>
    public long QueueDepth => Pipeline.Pending + Engine.QueueDepth;

    /// <summary>
    /// Why features cannot be read as of <paramref name="asOfMs"/> (older than the retained history, or in the future
    /// beyond the allowed clock skew), or null when they can.
    /// </summary>
    public string? AsOfProblem(long asOfMs)
    {
        if (asOfMs > NowMs + EngineOptions.MaxClockSkewMs)
            return $"is in the future: {DateTimeOffset.FromUnixTimeMilliseconds(asOfMs):O} is more than {WindowRules.FormatDuration(EngineOptions.MaxClockSkewMs)} after the server's clock";
        if (Engine.Watermark is { } watermark && asOfMs < watermark.ToUnixTimeMilliseconds() - EngineOptions.QueryHistoryMs)
            return $"is older than the retained history: features are kept for {WindowRules.FormatDuration(EngineOptions.QueryHistoryMs)} before the newest event ({watermark:O})";
        return null;
    }

    /// <summary>Recovers the store and builds everything; throws with a clear message when settings are invalid.</summary>
    public static AmlfsRuntime Start(ServerSettings settings, TimeProvider clock, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = settings.Validate();
        if (errors.Count > 0)
            throw new ServerSettingsException(errors);
        Directory.CreateDirectory(settings.DataDirectory);
        return new AmlfsRuntime(settings, clock, loggers);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        Pipeline.Dispose();
        FeatureLog?.Dispose();
        if (Pipeline.Failure is null)
        {
            Roll.RollRemaining(); // before the snapshot, whose retention may then delete the rolled segments
            try
            {
                Store.WriteSnapshot(); // a clean stop restarts from the snapshot without replaying the log
            }
            catch (IOException e)
            {
                LogFinalSnapshotFailed(_logger, e);
            }
        }

        Roll.Dispose();
        Store.Dispose();
        Engine.Dispose();
        _deadLetters.Dispose();
        Metrics.Dispose();
    }

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

    private EngineSignals ReadSignals()
    {
        var watermark = Engine.Watermark;
        var lag = watermark is { } w ? Math.Max(0, (Clock.GetUtcNow() - w).TotalSeconds) : 0;
        var entities = Plan.Entities.Sum(e => (long)Engine.EntityCount(e));
        return new EngineSignals(
            Engine.Accepted, Engine.Duplicates, Engine.Late, Engine.FutureTimestamps,
            QueueDepth, lag, entities, Pipeline.Groups);
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Store: {Message}")]
    private static partial void LogStore(ILogger logger, string message);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "The final snapshot could not be written; the next start replays the log")]
    private static partial void LogFinalSnapshotFailed(ILogger logger, Exception exception);
}
