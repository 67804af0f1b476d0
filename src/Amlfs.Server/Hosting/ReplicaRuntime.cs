using Amlfs.Engine;
using Amlfs.OnlineStore;
using Amlfs.Server.Observability;
using Amlfs.Server.Serving;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Hosting;

/// <summary>
/// A stateless API replica: no engine, no write-ahead log, no lock on the data directory (only its registry is read).
/// Features come from the entity states that workers write to the online store, evaluated as of the request time.
/// The store is the caller's: the replica never connects, closes or disposes it, and starts whether or not it answers.
/// </summary>
internal sealed class ReplicaRuntime : AmlfsRuntime
{
    public ReplicaRuntime(ServerSettings settings, IOnlineStore store, TimeProvider clock, ILoggerFactory loggers)
        : base(settings, clock, loggers)
    {
        OnlineStore = store;
        OnlineStoreEndpoint = settings.OnlineStoreEndpoint ?? store.GetType().Name;
        StateFormat = new EntityStateFormat(Plan);
        Features = new OnlineStoreFeatureSource(store, StateFormat, EngineOptions, clock, StoreSignals, Logger);
        Metrics.ObserveOnlineStore(StoreSignals);
    }

    public IOnlineStore OnlineStore { get; }

    /// <summary>How messages and <c>/health</c> name the store (a URL with the password redacted).</summary>
    public string OnlineStoreEndpoint { get; }

    /// <summary>The state layout this replica reads: keys carry its <see cref="EntityStateFormat.Version"/>.</summary>
    public EntityStateFormat StateFormat { get; }

    public OnlineStoreSignals StoreSignals { get; } = new();

    public override IFeatureSource Features { get; }

    /// <summary>Pings the store; null when it answers, else why not.</summary>
    public async Task<string?> CheckOnlineStoreAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await OnlineStore.PingAsync(cancellationToken).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (OnlineStoreUnavailableException e)
        {
            return e.Message;
        }
        catch (TimeoutException)
        {
            return $"the online store at {OnlineStoreEndpoint} did not answer a ping within {timeout.TotalSeconds:0.#} s";
        }
    }

    public override void Dispose() => Metrics.Dispose();
}
