using Amlfs.Server.Alerting;
using Amlfs.Server.Api;
using Amlfs.Server.Cases;
using Amlfs.Server.Dashboard;
using Amlfs.Server.Hosting;
using Amlfs.Server.Security;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server;

/// <summary>
/// Builds the amlfs server: one process with the engine, the embedded durable store (recovered before the port
/// opens), the HTTP API with its OpenAPI document and docs at <c>/docs</c>, the live dashboard at <c>/</c>, and
/// optionally a synthetic producer; or,
/// with <see cref="ServerSettings.OnlineStore"/>, a stateless replica that serves the same read and scoring API from
/// the entity states in an online store.
/// </summary>
public static class AmlfsServer
{
    /// <summary>
    /// Builds the application and recovers the store; the caller starts it (<c>RunAsync</c>, or <c>StartAsync</c> in
    /// tests). Throws <see cref="ServerSettingsException"/> naming every bad setting.
    /// </summary>
    public static WebApplication Build(ServerSettings settings, TimeProvider? clock = null, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = settings.Validate();
        if (errors.Count > 0)
            throw new ServerSettingsException(errors);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = "amlfs",
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.AddAmlfsHost(settings, logging);
        // Alerts first: hosted services stop in reverse order, so the alerts stop after the decision stream.
        // Cases before alerts: the alert service files alerts into cases while it stops, so the cases stop after it.
        builder.Services.AddAmlfsCases(settings, clock ?? TimeProvider.System);
        builder.Services.AddAmlfsAlerts(settings, clock ?? TimeProvider.System);
        builder.Services.AddAmlfsRuntime(settings, clock ?? TimeProvider.System);
        builder.Services.AddAmlfsApi();
        builder.Services.AddAmlfsAuth(settings.Auth);
        builder.Services.AddDashboard();

        var app = builder.Build();
        app.Services.GetRequiredService<AmlfsRuntime>(); // recovery runs here, before the port opens
        app.MapAmlfsApi();
        app.MapDashboardApi();
        return app;
    }

    /// <summary>The address the server listens on once started (with the real port when 0 was asked).</summary>
    public static Uri Address(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        return new Uri(addresses?.FirstOrDefault() ?? throw new InvalidOperationException("the server is not started"));
    }
}
