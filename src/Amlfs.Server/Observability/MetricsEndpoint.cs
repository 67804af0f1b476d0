using Microsoft.AspNetCore.Http.HttpResults;
using Prometheus;

namespace Amlfs.Server.Observability;

/// <summary>
/// <c>GET /metrics</c> of every amlfs process (the server's API and a worker's <see cref="MetricsListener"/>): a registry
/// in the Prometheus text exposition format, version 0.0.4, written straight to the response.
/// </summary>
internal static class MetricsEndpoint
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static PushStreamHttpResult Result(CollectorRegistry registry) =>
        TypedResults.Stream(stream => registry.CollectAndExportAsTextAsync(stream), ContentType);
}
