using System.Globalization;
using Amlfs.Server.Contracts;
using Amlfs.Server.Hosting;

namespace Amlfs.Server.Api;

/// <summary><c>GET /health</c> and <c>GET /metrics</c>.</summary>
internal static class OperationsApi
{
    public static void MapOperationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", Health)
            .WithName("Health")
            .WithTags("Operations")
            .WithSummary("Status of the engine, the store, the producer and the model (a replica: the online store and the model): 200 when none is unhealthy, else 503")
            .Produces<HealthResponse>()
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("/metrics", (AmlfsRuntime runtime) => TypedResults.Text(runtime.Metrics.Render(), "text/plain; version=0.0.4; charset=utf-8"))
            .WithName("Metrics")
            .WithTags("Operations")
            .WithSummary("Prometheus metrics: request latency per route, ingest counters by outcome, queue depth, engine lag; a replica's online store reads and errors");
    }

    private static async Task<IResult> Health(AmlfsRuntime runtime, CancellationToken cancellationToken)
    {
        var components = runtime switch
        {
            ReplicaRuntime replica => await ReplicaComponentsAsync(replica, cancellationToken),
            _ => EmbeddedComponents((EmbeddedRuntime)runtime),
        };
        components["model"] = new("healthy", new Dictionary<string, string>
        {
            ["kind"] = "rules",
            ["version"] = runtime.Scorer.ModelVersion,
            ["scoring"] = runtime.Customer is null ? "off: no customer entity" : "on",
        });
        var healthy = components.Values.All(h => h.Status != "unhealthy");
        var response = new HealthResponse { Status = healthy ? "healthy" : "unhealthy", Components = components };
        return healthy ? TypedResults.Ok(response) : TypedResults.Json(response, AmlfsJsonContext.Default.HealthResponse, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>A replica has one dependency: the online store, pinged on every call.</summary>
    private static async Task<Dictionary<string, ComponentHealth>> ReplicaComponentsAsync(ReplicaRuntime runtime, CancellationToken cancellationToken)
    {
        var c = CultureInfo.InvariantCulture;
        var error = await runtime.CheckOnlineStoreAsync(TimeSpan.FromSeconds(2), cancellationToken);
        var signals = runtime.StoreSignals;
        return new Dictionary<string, ComponentHealth>(StringComparer.Ordinal)
        {
            ["online_store"] = new(error is null ? "healthy" : "unhealthy", new Dictionary<string, string>
            {
                ["mode"] = "replica",
                ["endpoint"] = runtime.OnlineStoreEndpoint,
                ["state_layout"] = runtime.StateFormat.Version,
                ["registry_version"] = runtime.Registry.Number.ToString(c),
                ["reads"] = signals.Reads.ToString(c),
                ["errors"] = signals.Errors.ToString(c),
                ["error"] = error ?? "",
            }),
        };
    }

    private static Dictionary<string, ComponentHealth> EmbeddedComponents(EmbeddedRuntime runtime)
    {
        var c = CultureInfo.InvariantCulture;
        var engine = runtime.Engine;
        var pipeline = runtime.Pipeline;
        var store = runtime.Store;
        var producer = runtime.Producer;
        return new Dictionary<string, ComponentHealth>(StringComparer.Ordinal)
        {
            ["engine"] = new(pipeline.IsWriterAlive ? "healthy" : "unhealthy", new Dictionary<string, string>
            {
                ["accepted"] = engine.Accepted.ToString(c),
                ["duplicates"] = engine.Duplicates.ToString(c),
                ["late"] = engine.Late.ToString(c),
                ["future_timestamp"] = engine.FutureTimestamps.ToString(c),
                ["watermark"] = engine.Watermark?.ToString("O", c) ?? "none",
                ["queue_depth"] = runtime.QueueDepth.ToString(c),
                ["shards"] = runtime.EngineOptions.ShardCount.ToString(c),
                ["registry_version"] = runtime.Registry.Number.ToString(c),
            }),
            ["store"] = new(pipeline.Failure is null ? "healthy" : "unhealthy", new Dictionary<string, string>
            {
                ["kind"] = "embedded",
                ["wal_last_sequence"] = store.LastSequence.ToString(c),
                ["flush_policy"] = runtime.Settings.FlushPolicy.ToString().ToLowerInvariant(),
                ["last_snapshot_sequence"] = store.SnapshotSequence > 0 ? store.SnapshotSequence.ToString(c) : "none",
                ["rolled_sequence"] = runtime.Roll.RolledSequence.ToString(c),
                ["roll_lag_records"] = Math.Max(0, store.LastSequence - runtime.Roll.RolledSequence).ToString(c),
                ["roll_error"] = runtime.Roll.Error ?? "",
                ["error"] = pipeline.Failure?.Message ?? "",
            }),
            ["producer"] = new(producer.State is "unhealthy" ? "unhealthy" : producer.State == "disabled" ? "disabled" : "healthy", new Dictionary<string, string>
            {
                ["state"] = producer.State,
                ["rate"] = producer.Rate.ToString(c),
                ["sent"] = producer.Sent.ToString(c),
                ["accepted"] = producer.Accepted.ToString(c),
                ["error"] = producer.Error ?? "",
            }),
        };
    }
}
