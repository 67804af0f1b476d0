using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;

namespace Amlfs.Server.Dashboard;

/// <summary>
/// The live overview as server-sent events (<c>text/event-stream</c>): the newest update at once, then each new one as
/// the sampler publishes it, the same bytes for every client. A client slower than a second skips to the newest
/// update (its chart has a one-second gap, the totals stay exact). Ends when the client goes or the server stops.
/// </summary>
internal sealed class OverviewStream(OverviewBroadcast broadcast, IHostApplicationLifetime lifetime) : IResult
{
    /// <summary>How long a browser waits before it reconnects a dropped stream.</summary>
    private static readonly byte[] Retry = "retry: 2000\n\n"u8.ToArray();

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, lifetime.ApplicationStopping);
        using var connection = broadcast.Connect();
        var body = response.Body;
        try
        {
            await body.WriteAsync(Retry, stop.Token);
            var (sequence, latest) = broadcast.Latest;
            if (sequence > 0)
                await body.WriteAsync(latest, stop.Token);
            await body.FlushAsync(stop.Token);
            while (!stop.IsCancellationRequested)
            {
                (sequence, latest) = await broadcast.NextAsync(sequence, stop.Token);
                await body.WriteAsync(latest, stop.Token);
                await body.FlushAsync(stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away or the server is stopping.
        }
        catch (IOException)
        {
            // The connection broke mid-write.
        }
    }
}
