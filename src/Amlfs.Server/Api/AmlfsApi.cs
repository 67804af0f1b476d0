using System.Text.Json;
using System.Text.Json.Serialization;
using Amlfs.Server.Cases;
using Amlfs.Server.Contracts;
using Amlfs.Server.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Amlfs.Server.Api;

/// <summary>The HTTP API: its JSON, problems and OpenAPI document, its middleware, the docs page and every endpoint group.</summary>
internal static class AmlfsApi
{
    /// <summary>Where the OpenAPI document is served; <c>/docs</c> renders it.</summary>
    public const string OpenApiPath = "/openapi/v1.json";

    /// <summary>The API's JSON (the contracts' source-generated context, snake_case), problem details and OpenAPI document.</summary>
    public static IServiceCollection AddAmlfsApi(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, AmlfsJsonContext.Default);
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            o.SerializerOptions.Converters.Add(new UtcTimestampConverter());
        });
        services.AddProblemDetails();
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "amlfs: real-time AML feature store";
            document.Info.Version = "v1";
            document.Info.Description = "Ingest transactions, read sliding-window features as of any time within the query history, and score transactions with reasons.";
            return Task.CompletedTask;
        }));
        return services;
    }

    /// <summary>The middleware every request goes through, the OpenAPI document and <c>/docs</c>, and the endpoints.</summary>
    public static WebApplication MapAmlfsApi(this WebApplication app)
    {
        app.UseProblemsAndRequestMetrics();
        app.UseStatusCodePages();
        var settings = app.Services.GetRequiredService<Security.AuthSettings>();
        app.UseAmlfsAuth(settings);
        app.MapOpenApi(OpenApiPath).AllowAnonymous();
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
        app.MapAuthApi(settings);
        // An embedded server keeps cases; a replica, which runs no alert rules, has none to serve.
        if (app.Services.GetService<CaseService>() is not null)
            app.MapCasesApi();
        return app;
    }
}
