using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Server.Contracts;
using Amlfs.Server.Hosting;

namespace Amlfs.Server.Api;

/// <summary><c>GET /features/...</c> and <c>GET /registry/features</c>: the online store's values and definitions.</summary>
internal static class FeaturesApi
{
    public static void MapFeaturesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/features/{customer_id}", (string customer_id, string? at, AmlfsRuntime runtime, CancellationToken cancellationToken) =>
                ReadAsync(runtime, runtime.Customer, "customer", customer_id, at, cancellationToken))
            .WithName("CustomerFeatures")
            .WithTags("Features")
            .WithSummary("Every feature of a customer, as of now or as of ?at=<ISO-8601 instant> within the query history")
            .WithDescription("Windows are half-open [q - W, q): an event at exactly q is not counted. An unknown customer reads as zeros with \"known\": false. A replica answers 503 while its online store is unavailable.")
            .Produces<FeaturesResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("/features/merchant/{merchant_id}", (string merchant_id, string? at, AmlfsRuntime runtime, CancellationToken cancellationToken) =>
                ReadAsync(runtime, runtime.Merchant, "merchant", merchant_id, at, cancellationToken))
            .WithName("MerchantFeatures")
            .WithTags("Features")
            .WithSummary("Every feature of a merchant, as of now or as of ?at=<ISO-8601 instant> within the query history")
            .Produces<FeaturesResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("/registry/features", Registry)
            .WithName("RegistryFeatures")
            .WithTags("Features")
            .WithSummary("The active feature definitions and their registry version")
            .Produces<RegistryResponse>();
    }

    private static async Task<IResult> ReadAsync(AmlfsRuntime runtime, EntityPlan? entity, string entityName, string id, string? at, CancellationToken cancellationToken)
    {
        if (entity is null)
            return Problems.NotFound($"the active definitions have no {entityName} entity");
        long asOf;
        if (at is null)
        {
            asOf = runtime.NowMs;
        }
        else if (UtcTimestampConverter.TryParse(at, out var instant))
        {
            asOf = instant.ToUnixTimeMilliseconds();
        }
        else
        {
            return Problems.Invalid("at", $"'{at}' is not an ISO-8601 instant such as 2026-03-10T14:05:00Z");
        }

        var source = runtime.Features;
        if (source.AsOfProblem(asOf) is { } problem)
            return Problems.Invalid("at", problem);
        var values = new double[entity.Features.Count];
        bool known;
        try
        {
            var read = await source.ReadAsync(entity, id, asOf, values, cancellationToken);
            known = read.Known;
            runtime.FeatureLog?.LogFeatures(entity, id, asOf, read.LogSequence, runtime.NowMs, values);
        }
        catch (ArgumentOutOfRangeException)
        {
            // The watermark moved between the check and the read.
            return Problems.Invalid("at", source.AsOfProblem(asOf) ?? "is outside the retained history");
        }

        var features = new Dictionary<string, double>(values.Length, StringComparer.Ordinal);
        for (var i = 0; i < values.Length; i++)
            features[entity.Features[i].Name] = values[i];
        return TypedResults.Ok(new FeaturesResponse
        {
            Entity = entityName,
            EntityId = id,
            AsOf = DateTimeOffset.FromUnixTimeMilliseconds(asOf),
            Known = known,
            Features = features,
            RegistryVersion = runtime.Registry.Number,
        });
    }

    private static IResult Registry(AmlfsRuntime runtime)
    {
        var definition = runtime.Registry.Definition;
        return TypedResults.Ok(new RegistryResponse
        {
            Version = runtime.Registry.Number,
            AppliedAt = runtime.Registry.Info?.AppliedAt,
            Sha256 = runtime.Registry.Info?.Sha256,
            Timezone = definition.TimeZoneId,
            Features = definition.AllFeatures.Select(FeatureDescription.Of).ToArray(),
        });
    }
}
