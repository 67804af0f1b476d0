using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Amlfs.Server.Observability;

/// <summary>
/// A process's <c>/metrics</c> without the API: a minimal Kestrel that answers <c>GET /metrics</c> from a registry and
/// nothing else, for processes that serve no HTTP of their own (a Kafka worker).
/// </summary>
internal sealed class MetricsListener : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MetricsListener(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The URL of the endpoint, with the port Kestrel chose when 0 was asked.</summary>
    public Uri Address { get; }

    /// <summary>Listens on <paramref name="host"/>:<paramref name="port"/> (0: any free port).</summary>
    /// <exception cref="IOException">The address cannot be bound (in use, not an address of this machine).</exception>
    public static async Task<MetricsListener> StartAsync(string host, int port, CollectorRegistry registry, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "amlfs", ContentRootPath = AppContext.BaseDirectory, Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://{host}:{port}");
        var app = builder.Build();
        app.MapGet("/metrics", () => MetricsEndpoint.Result(registry));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("the metrics listener has no address");
        return new MetricsListener(app, new Uri(new Uri(bound), "/metrics"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
