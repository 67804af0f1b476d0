using Amlfs.Engine;
using Amlfs.OnlineStore;
using Amlfs.Server.Ingestion;
using Amlfs.Server.Observability;
using Amlfs.Server.Serving;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Hosting;

/// <summary>
/// A stateless API replica: no engine, no write-ahead log, no lock on the data directory (only its registry is read).
/// Features come from the entity states that workers write to the online store, evaluated as of the request time.
/// The store is the caller's: the replica never connects, closes or disposes it, and starts whether or not it answers.
/// Transactions go to Kafka, so its ingest refuses every batch.
/// </summary>
internal sealed class ReplicaRuntime : AmlfsRuntime
{
    public ReplicaRuntime(ServerSettings settings, IOnlineStore store, TimeProvider clock, ServerMetrics metrics, ILoggerFactory loggers)
        : base(settings, clock, metrics, loggers)
    {
        OnlineStore = store;
        OnlineStoreEndpoint = settings.OnlineStoreEndpoint ?? store.GetType().Name;
        StoreSignals = new OnlineStoreSignals(metrics.OnlineStoreReadDuration());
        StateFormat = new EntityStateFormat(Definitions.Plan);
        Features = new OnlineStoreFeatureSource(store, OnlineStoreEndpoint, StateFormat, EngineOptions, clock, StoreSignals, Logger);
        Ingest = new ReplicaIngest(OnlineStoreEndpoint);
        HealthChecks = [new OnlineStoreHealthCheck(this)];
        metrics.ObserveOnlineStore(StoreSignals);
    }

    public IOnlineStore OnlineStore { get; }

    /// <summary>How messages and <c>/health</c> name the store (a URL with the password redacted).</summary>
    public string OnlineStoreEndpoint { get; }

    /// <summary>The state layout this replica reads: keys carry its <see cref="EntityStateFormat.Version"/>.</summary>
    public EntityStateFormat StateFormat { get; }

    public OnlineStoreSignals StoreSignals { get; }

    public override IFeatureSource Features { get; }

    public override IIngestService Ingest { get; }

    public override IReadOnlyList<IComponentHealthCheck> HealthChecks { get; }

    /// <summary>Nothing to release: the store is the caller's and the metrics are the host's.</summary>
    public override void Dispose()
    {
    }
}
