using Amlfs.Server.Contracts;
using Amlfs.Server.Observability;
using Amlfs.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amlfs.Server.Api;

/// <summary><c>GET /health</c> and <c>GET /metrics</c>.</summary>
internal static class OperationsApi
{
    public static void MapOperationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", Health)
            .AllowAnonymous()
            .WithName("Health")
            .WithTags("Operations")
            .WithSummary("Status of the engine, the store, the producer and the model (a replica: the online store and the model): 200 when none is unhealthy, else 503")
            .Produces<HealthResponse>()
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("/metrics", Metrics)
            .RequireMetricsAccess()
            .WithName("Metrics")
            .WithTags("Operations")
            .WithSummary("Prometheus metrics: request latency per route, ingest counters by outcome, queue depth, engine lag, scoring, graph searches, served feature data quality, process and runtime figures; a replica's online store reads and errors");
    }

    private static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> Health(ServerHealth health, CancellationToken cancellationToken)
    {
        var response = await health.CheckAsync(cancellationToken);
        return response.Status == ServerHealth.Healthy
            ? TypedResults.Ok(response)
            : TypedResults.Json(response, AmlfsJsonContext.Default.HealthResponse, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static PushStreamHttpResult Metrics(ServerMetrics metrics) => MetricsEndpoint.Result(metrics.Registry);
}
