using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Amlfs.OnlineStore;
using Amlfs.Server.Api;
using Amlfs.Server.Contracts;
using Amlfs.Server.Hosting;
using Amlfs.Server.Serving;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server;

/// <summary>
/// Builds the amlfs server: one process with the engine, the embedded durable store (recovered before the port
/// opens), the HTTP API with its OpenAPI document and docs at <c>/docs</c>, and optionally a synthetic producer; or,
/// with <see cref="ServerSettings.OnlineStore"/>, a stateless replica that serves the same read and scoring API from
/// the entity states in an online store.
/// </summary>
public static class AmlfsServer
{
    /// <summary>Where the OpenAPI document is served; <c>/docs</c> renders it.</summary>
    public const string OpenApiPath = "/openapi/v1.json";

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
        clock ??= TimeProvider.System;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = "amlfs",
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
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
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, AmlfsJsonContext.Default);
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            o.SerializerOptions.Converters.Add(new UtcTimestampConverter());
        });
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "amlfs: real-time AML feature store";
            document.Info.Version = "v1";
            document.Info.Description = "Ingest transactions, read sliding-window features as of any time within the query history, and score transactions with reasons.";
            return Task.CompletedTask;
        }));
        builder.Services.AddSingleton(clock);
        builder.Services.AddSingleton(sp => AmlfsRuntime.Start(settings, clock, sp.GetRequiredService<ILoggerFactory>()));
        if (settings.ProducerRate is not null)
        {
            // Validate() refuses a producer on a replica, so the runtime is the embedded one here.
            builder.Services.AddHostedService(sp => new SyntheticProducer(
                (EmbeddedRuntime)sp.GetRequiredService<AmlfsRuntime>(), sp.GetRequiredService<ILogger<SyntheticProducer>>()));
        }

        var app = builder.Build();
        var runtime = app.Services.GetRequiredService<AmlfsRuntime>(); // recovery runs here, before the port opens
        app.Use(async (context, next) =>
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
            catch (OnlineStoreUnavailableException) when (!context.Response.HasStarted && runtime is ReplicaRuntime replica)
            {
                // A replica's store is down: every feature-reading endpoint answers 503, never 500, and works again
                // once the store does (the store reconnects by itself).
                context.Response.Clear();
                await Problems.OnlineStoreUnavailable(context, replica.OnlineStoreEndpoint).ExecuteAsync(context);
            }
            catch (UnreadableEntityStateException e) when (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await Results.Problem(e.Message, statusCode: StatusCodes.Status502BadGateway, title: "The online store holds an unreadable entity state").ExecuteAsync(context);
            }
            finally
            {
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
                runtime.Metrics.RecordRequest(route, context.Request.Method, context.Response.StatusCode, start);
            }
        });
        app.UseStatusCodePages();
        app.MapOpenApi(OpenApiPath);
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "docs";
            o.SwaggerEndpoint(OpenApiPath, "amlfs v1");
            o.DocumentTitle = "amlfs API";
        });
        app.MapTransactionsApi();
        app.MapPredictApi();
        app.MapFeaturesApi();
        app.MapOperationsApi();
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
