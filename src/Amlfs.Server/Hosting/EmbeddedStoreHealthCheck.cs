using System.Globalization;
using Amlfs.Server.Contracts;
using Amlfs.Server.Observability;

namespace Amlfs.Server.Hosting;

/// <summary>
/// The embedded durable store: the write-ahead log, its snapshots and its roll into the offline store. Unhealthy once
/// the log cannot be written (ingest then answers 503); a failed roll is reported but retried, so it is not.
/// </summary>
internal sealed class EmbeddedStoreHealthCheck(EmbeddedRuntime runtime) : IComponentHealthCheck
{
    public string Name => "store";

    public ValueTask<ComponentHealth> CheckAsync(CancellationToken cancellationToken)
    {
        var c = CultureInfo.InvariantCulture;
        var store = runtime.Store;
        var roll = runtime.Roll;
        var failure = runtime.Pipeline.Failure;
        return ValueTask.FromResult(new ComponentHealth(failure is null ? ServerHealth.Healthy : ServerHealth.Unhealthy, new Dictionary<string, string>
        {
            ["kind"] = "embedded",
            ["wal_last_sequence"] = store.LastSequence.ToString(c),
            ["flush_policy"] = runtime.Settings.FlushPolicy.ToString().ToLowerInvariant(),
            ["last_snapshot_sequence"] = store.SnapshotSequence > 0 ? store.SnapshotSequence.ToString(c) : "none",
            ["rolled_sequence"] = roll.RolledSequence.ToString(c),
            ["roll_lag_records"] = Math.Max(0, store.LastSequence - roll.RolledSequence).ToString(c),
            ["roll_error"] = roll.Error ?? "",
            ["error"] = failure?.Message ?? "",
        }));
    }
}
