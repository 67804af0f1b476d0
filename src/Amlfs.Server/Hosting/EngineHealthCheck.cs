using System.Globalization;
using Amlfs.Server.Contracts;
using Amlfs.Server.Observability;

namespace Amlfs.Server.Hosting;

/// <summary>The embedded engine and its ingest writer: unhealthy once the writer thread has ended.</summary>
internal sealed class EngineHealthCheck(EmbeddedRuntime runtime) : IComponentHealthCheck
{
    public string Name => "engine";

    public ValueTask<ComponentHealth> CheckAsync(CancellationToken cancellationToken)
    {
        var c = CultureInfo.InvariantCulture;
        var engine = runtime.Engine;
        return ValueTask.FromResult(new ComponentHealth(runtime.Pipeline.IsWriterAlive ? ServerHealth.Healthy : ServerHealth.Unhealthy, new Dictionary<string, string>
        {
            ["accepted"] = engine.Accepted.ToString(c),
            ["duplicates"] = engine.Duplicates.ToString(c),
            ["late"] = engine.Late.ToString(c),
            ["future_timestamp"] = engine.FutureTimestamps.ToString(c),
            ["watermark"] = engine.Watermark?.ToString("O", c) ?? "none",
            ["queue_depth"] = runtime.QueueDepth.ToString(c),
            ["shards"] = runtime.EngineOptions.ShardCount.ToString(c),
            ["registry_version"] = runtime.Definitions.Registry.Number.ToString(c),
        }));
    }
}
