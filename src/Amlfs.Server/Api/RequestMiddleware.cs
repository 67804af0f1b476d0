using System.Diagnostics;
using Amlfs.Server.Observability;
using Amlfs.Server.Serving;
using Microsoft.Extensions.DependencyInjection;

namespace Amlfs.Server.Api;

/// <summary>
/// What every request goes through around its handler: what escapes a handler and is not the server's fault becomes a
/// problem instead of a 500 (a bad request, an online store that is down or holds bad data), and every request is
/// timed by route in the metrics, with the status it ended with.
/// </summary>
internal static class RequestMiddleware
{
    public static IApplicationBuilder UseProblemsAndRequestMetrics(this IApplicationBuilder app)
    {
        var metrics = app.ApplicationServices.GetRequiredService<ServerMetrics>();
        // The dashboard's /predict p50 and p99: timed here with every other request, no second clock around it.
        var predictLatency = app.ApplicationServices.GetService<RouteLatency>();
        return app.Use(async (context, next) =>
        {
            var start = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            catch (BadHttpRequestException e) when (!context.Response.HasStarted)
            {
                // Body over the size limit, truncated body, malformed request line: the client's fault, never a 500.
                context.Response.Clear();
                await Results.Problem(e.Message, statusCode: e.StatusCode,
                    title: e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request is too large" : "Bad request").ExecuteAsync(context);
            }
            catch (FeaturesUnavailableException e) when (!context.Response.HasStarted)
            {
                // A replica's store is down: every feature-reading endpoint answers 503, never 500, and works again
                // once the store does (the store reconnects by itself).
                context.Response.Clear();
                await Problems.OnlineStoreUnavailable(context, e.Endpoint).ExecuteAsync(context);
            }
            catch (UnreadableEntityStateException e) when (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await Results.Problem(e.Message, statusCode: StatusCodes.Status502BadGateway, title: "The online store holds an unreadable entity state").ExecuteAsync(context);
            }
            finally
            {
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
                metrics.RecordRequest(route, context.Request.Method, context.Response.StatusCode, start);
                predictLatency?.Record(route, Stopwatch.GetTimestamp() - start);
            }
        });
    }
}
