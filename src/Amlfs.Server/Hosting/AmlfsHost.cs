using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Hosting;

/// <summary>The host of a server process: its console log, and Kestrel on the configured address.</summary>
internal static class AmlfsHost
{
    /// <summary>
    /// One line per message at the configured level (the framework's own at warning or above), then
    /// <paramref name="logging"/>; Kestrel on <see cref="ServerSettings.Host"/> and <see cref="ServerSettings.Port"/>
    /// with the body size limit; 30 s for a clean stop.
    /// </summary>
    public static WebApplicationBuilder AddAmlfsHost(this WebApplicationBuilder builder, ServerSettings settings, Action<ILoggingBuilder>? logging)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.SetMinimumLevel(settings.LogLevel);
        builder.Logging.AddFilter("Microsoft", settings.LogLevel > LogLevel.Warning ? settings.LogLevel : LogLevel.Warning);
        logging?.Invoke(builder.Logging);
        builder.WebHost.UseUrls($"http://{settings.Host}:{settings.Port}");
        // Handlers never block (scoring and reads are CPU-only and short; ingest and a replica's store reads await), so
        // requests run on the socket threads: no hop to the thread pool, far fewer context switches per request.
        builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = settings.InlineScheduling);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = settings.MaxRequestBodyBytes;
        });
        // A clean stop drains ingest, rolls the rest of the log and writes a snapshot.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return builder;
    }
}
