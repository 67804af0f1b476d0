using Amlfs.Engine;
using Amlfs.Logging;
using Amlfs.Parquet.Roll;
using Amlfs.Server.FeatureLogging;
using Amlfs.Server.Ingestion;
using Amlfs.Server.Observability;
using Amlfs.Server.Serving;
using Amlfs.Storage;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Hosting;

/// <summary>
/// The embedded runtime: the engine, the durable store (recovered on start), the ingest pipeline and the roll of the
/// log into the offline store. Disposing it drains ingest, rolls the rest of the log, writes a final snapshot and
/// closes the log.
/// </summary>
internal sealed partial class EmbeddedRuntime : AmlfsRuntime
{
    private readonly DeadLetterFile _deadLetters;
    private readonly FeatureLogger? _featureLog;
    private int _disposed;

    public EmbeddedRuntime(ServerSettings settings, TimeProvider clock, ILoggerFactory loggers)
        : base(settings, clock, loggers)
    {
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
                Logger);
        }
        catch
        {
            Engine.Dispose();
            _deadLetters.Dispose();
            throw;
        }

        try
        {
            var roller = LogRoller.OpenAsync(settings.DataDirectory, Store.Log.FirstSequence, logger: Logger).GetAwaiter().GetResult();
            Roll = LogRollService.Start(Store, roller, Logger);
        }
        catch
        {
            Store.Dispose();
            Engine.Dispose();
            _deadLetters.Dispose();
            throw;
        }

        Pipeline = new IngestPipeline(Engine, Store, settings.IngestQueueCapacity, Logger, Roll.SegmentSealed);
        Features = new EngineFeatureSource(Engine, EngineOptions, clock);
        if (settings.LogFeatures)
        {
            _featureLog = new FeatureLogger(settings.DataDirectory, Plan, settings.FeatureLogFlushInterval, settings.FeatureLogCapacity, Logger);
            Metrics.ObserveFeatureLog(_featureLog);
        }

        Metrics.Observe(ReadSignals);
    }

    public FeatureEngine Engine { get; }

    public EmbeddedStore Store { get; }

    public IngestPipeline Pipeline { get; }

    /// <summary>The roll of the write-ahead log into the offline store.</summary>
    public LogRollService Roll { get; }

    public override IFeatureSource Features { get; }

    public override FeatureLogger? FeatureLog => _featureLog;

    /// <summary>The synthetic producer's state, when one runs in this process.</summary>
    public ProducerStatus Producer { get; } = new();

    /// <summary>Transactions waiting: queued for the ingest writer, or admitted and not yet applied by a shard.</summary>
    public long QueueDepth => Pipeline.Pending + Engine.QueueDepth;

    public override void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        Pipeline.Dispose();
        _featureLog?.Dispose();
        if (Pipeline.Failure is null)
        {
            Roll.RollRemaining(); // before the snapshot, whose retention may then delete the rolled segments
            try
            {
                Store.WriteSnapshot(); // a clean stop restarts from the snapshot without replaying the log
            }
            catch (IOException e)
            {
                LogFinalSnapshotFailed(Logger, e);
            }
        }

        Roll.Dispose();
        Store.Dispose();
        Engine.Dispose();
        _deadLetters.Dispose();
        Metrics.Dispose();
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

    [LoggerMessage(EventId = AmlfsEventId.FinalSnapshotFailed, Level = LogLevel.Warning, Message = "The final snapshot could not be written; the next start replays the log")]
    private static partial void LogFinalSnapshotFailed(ILogger logger, Exception exception);
}
