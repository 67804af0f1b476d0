using Amlfs.Security;
using Amlfs.Server.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Amlfs.Server.Observability;

/// <summary>
/// A process's <c>/metrics</c> without the API: a minimal Kestrel that answers <c>GET /metrics</c> from a registry and
/// nothing else, for processes that serve no HTTP of their own (a Kafka worker). Keys are checked as the server checks
/// them (<see cref="ApiKeyGate"/>: the same key ring, the same access for <c>/metrics</c> and problem bodies), and
/// refusals are counted in the served registry.
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

    /// <summary>The keys checked, when <c>/metrics</c> needs one; null when it is open.</summary>
    public ApiKeyRing? Keys { get; private init; }

    /// <summary>
    /// Listens on <paramref name="host"/>:<paramref name="port"/> (0: any free port). With keys (a file or a store) and
    /// <see cref="AuthSettings.MetricsNeedKey"/> in <paramref name="auth"/>, <c>/metrics</c> needs a key as the server's
    /// does (401 with a problem body without one); otherwise it is open.
    /// </summary>
    /// <exception cref="IOException">The address cannot be bound (in use, not an address of this machine).</exception>
    public static async Task<MetricsListener> StartAsync(string host, int port, CollectorRegistry registry, AuthSettings auth, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auth);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "amlfs", ContentRootPath = AppContext.BaseDirectory, Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://{host}:{port}");
        builder.Services.AddSingleton(clock);
        builder.Services.AddSingleton(new AuthRejections(Metrics.WithCustomRegistry(registry)));
        builder.Services.AddAmlfsAuth(auth);
        var app = builder.Build();
        app.UseAmlfsAuth(auth);
        var keys = auth.Enabled && auth.MetricsNeedKey ? app.Services.GetRequiredService<ApiKeyRing>() : null;
        app.MapGet("/metrics", () => MetricsEndpoint.Result(registry)).RequireMetricsAccess();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("the metrics listener has no address");
        return new MetricsListener(app, new Uri(new Uri(bound), "/metrics")) { Keys = keys };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
