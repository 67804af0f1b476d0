using Amlfs.Engine;
using Amlfs.Logging;
using Amlfs.Parquet.Roll;
using Amlfs.Privacy;
using Amlfs.Security;
using Amlfs.Server.FeatureLogging;
using Amlfs.Server.Ingestion;
using Amlfs.Server.Observability;
using Amlfs.Server.Serving;
using Amlfs.Storage;
using Amlfs.Transactions;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Hosting;

/// <summary>
/// The embedded runtime: the engine, the durable store (recovered on start), the ingest pipeline, the roll of the log
/// into the offline store and, when asked, the feature log. Disposing it drains ingest, closes the feature log, rolls
/// the rest of the log, writes a final snapshot and closes the log.
/// </summary>
internal sealed partial class EmbeddedRuntime : AmlfsRuntime
{
    private readonly DeadLetterFile _deadLetters;
    private readonly FeatureLogger? _featureLog;
    private int _disposed;

    public EmbeddedRuntime(ServerSettings settings, TimeProvider clock, ServerMetrics metrics, ProducerStatus producer, ILoggerFactory loggers)
        : base(settings, clock, metrics, loggers)
    {
        Pseudonyms = PseudonymKey.Resolve(settings.DataDirectory, settings.PseudonymKey);
        _deadLetters = new DeadLetterFile(DeadLetterFile.DirectoryOf(settings.DataDirectory), clock, Pseudonyms);
        Engine = new FeatureEngine(Definitions.Plan, EngineOptions, clock, _deadLetters);
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
                    RetainUndecidedLog = true,
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
            Roll = LogRollService.Start(new WriteAheadLogRoll(Store, roller, Logger));
        }
        catch
        {
            Store.Dispose();
            Engine.Dispose();
            _deadLetters.Dispose();
            throw;
        }

        Pipeline = new IngestPipeline(Engine, Store, settings.IngestQueueCapacity, Logger, Roll.SegmentSealed);
        Features = new EngineFeatureSource(Engine, EngineOptions, clock, recordNeighbours: settings.LogFeatures);
        Ingest = new PipelineIngest(Pipeline);
        HealthChecks = [new EngineHealthCheck(this), new EmbeddedStoreHealthCheck(this), new ProducerHealthCheck(producer)];
        if (settings.LogFeatures)
        {
            _featureLog = new FeatureLogger(settings.DataDirectory, Definitions.Plan, settings.FeatureLogFlushInterval, settings.FeatureLogCapacity, Logger);
            metrics.ObserveFeatureLog(_featureLog);
        }

        metrics.Observe(ReadSignals);
    }

    public FeatureEngine Engine { get; }

    /// <summary>The pseudonyms of IP addresses and device ids that leave the data directory.</summary>
    public Pseudonymizer Pseudonyms { get; }

    public EmbeddedStore Store { get; }

    public IngestPipeline Pipeline { get; }

    /// <summary>The roll of the write-ahead log into the offline store.</summary>
    public LogRollService Roll { get; }

    public override IFeatureSource Features { get; }

    public override IIngestService Ingest { get; }

    public override FeatureLogger? FeatureLog => _featureLog;

    public override IReadOnlyList<IComponentHealthCheck> HealthChecks { get; }

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
            Roll.RollRemainingAsync().GetAwaiter().GetResult(); // before the snapshot, whose retention may then delete the rolled segments
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
    }

    public override EngineSignals? ReadEngineSignals() => ReadSignals();

    public override Transaction? FindLogged(long sequence)
    {
        try
        {
            var log = Store.Log;
            if (sequence < log.FirstSequence || sequence > log.LastSequence)
                return null;
            foreach (var record in log.ReadFrom(sequence - 1))
                return record.Sequence == sequence ? record.Transaction : null;
            return null;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException or ObjectDisposedException)
        {
            // Retention deleted the segment while it was being found, or the store is closing.
            return null;
        }
    }

    private EngineSignals ReadSignals()
    {
        var watermark = Engine.Watermark;
        var lag = watermark is { } w ? Math.Max(0, (Clock.GetUtcNow() - w).TotalSeconds) : 0;
        var entities = Definitions.Plan.Entities.Sum(e => (long)Engine.EntityCount(e));
        return new EngineSignals(
            Engine.Accepted, Engine.Duplicates, Engine.Late, Engine.FutureTimestamps,
            QueueDepth, lag, entities, Pipeline.Groups);
    }

    [LoggerMessage(EventId = AmlfsEventId.FinalSnapshotFailed, Level = LogLevel.Warning, Message = "The final snapshot could not be written; the next start replays the log")]
    private static partial void LogFinalSnapshotFailed(ILogger logger, Exception exception);
}
