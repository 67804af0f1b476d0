using System.Globalization;
using Amlfs.OnlineStore;
using Amlfs.Server.Contracts;
using Amlfs.Server.Observability;

namespace Amlfs.Server.Hosting;

/// <summary>A replica's one dependency, the online store, pinged on every check.</summary>
internal sealed class OnlineStoreHealthCheck(ReplicaRuntime runtime) : IComponentHealthCheck
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(2);

    public string Name => "online_store";

    public async ValueTask<ComponentHealth> CheckAsync(CancellationToken cancellationToken)
    {
        var c = CultureInfo.InvariantCulture;
        var error = await PingAsync(cancellationToken).ConfigureAwait(false);
        var signals = runtime.StoreSignals;
        return new ComponentHealth(error is null ? ServerHealth.Healthy : ServerHealth.Unhealthy, new Dictionary<string, string>
        {
            ["mode"] = "replica",
            ["endpoint"] = runtime.OnlineStoreEndpoint,
            ["state_layout"] = runtime.StateFormat.Version,
            ["registry_version"] = runtime.Definitions.Registry.Number.ToString(c),
            ["reads"] = signals.Reads.ToString(c),
            ["errors"] = signals.Errors.ToString(c),
            ["error"] = error ?? "",
        });
    }

    /// <summary>Null when the store answers a ping, else why not.</summary>
    private async Task<string?> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await runtime.OnlineStore.PingAsync(cancellationToken).WaitAsync(PingTimeout, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (OnlineStoreUnavailableException e)
        {
            return e.Message;
        }
        catch (TimeoutException)
        {
            return $"the online store at {runtime.OnlineStoreEndpoint} did not answer a ping within {PingTimeout.TotalSeconds:0.#} s";
        }
    }
}
