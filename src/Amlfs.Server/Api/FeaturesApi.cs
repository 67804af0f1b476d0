using Amlfs.Engine;
using Amlfs.Registry;
using Amlfs.Security;
using Amlfs.Server.Contracts;
using Amlfs.Server.Security;
using Amlfs.Server.Serving;
using Amlfs.Transactions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Amlfs.Server.Api;

/// <summary><c>GET /features/...</c> and <c>GET /registry/features</c>: the online store's values and definitions.</summary>
internal static class FeaturesApi
{
    public static void MapFeaturesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/features/{customer_id}", CustomerFeatures)
            .RequireRole(ApiRole.Analyst)
            .WithName("CustomerFeatures")
            .WithTags("Features")
            .WithSummary("Every feature of a customer, as of now or as of ?at=<ISO-8601 instant> within the query history")
            .WithDescription("Windows are half-open [q - W, q): an event at exactly q is not counted. An unknown customer reads as one without events (aggregations 0) with \"known\": false. A replica answers 503 while its online store is unavailable.")
            .Produces<FeaturesResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("/features/merchant/{merchant_id}", MerchantFeatures)
            .RequireRole(ApiRole.Analyst)
            .WithName("MerchantFeatures")
            .WithTags("Features")
            .WithSummary("Every feature of a merchant, as of now or as of ?at=<ISO-8601 instant> within the query history")
            .Produces<FeaturesResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("/features/{entity}/{entity_id}", EntityFeatures)
            .RequireRole(ApiRole.Analyst)
            .WithName("EntityFeatures")
            .WithTags("Features")
            .WithSummary("Every feature of an entity of any declared type (an IP address, a device...), as of now or as of ?at=<ISO-8601 instant>")
            .WithDescription("The entity type is its name in the definitions (ip, device...); an unknown type answers 404. An unknown entity reads as zeros with \"known\": false.")
            .Produces<FeaturesResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("/registry/features", RegistryFeatures)
            .RequireRole(ApiRole.Admin)
            .WithName("RegistryFeatures")
            .WithTags("Features")
            .WithSummary("The active feature definitions and their registry version")
            .Produces<RegistryResponse>();
    }

    private static Task<Results<Ok<FeaturesResponse>, ValidationProblem, ProblemHttpResult>> CustomerFeatures(
        [FromRoute(Name = "customer_id")] string customerId, string? at, [AsParameters] FeatureServices services, CancellationToken cancellationToken) =>
        ReadAsync(services, services.Definitions.Customer, "customer", customerId, at, cancellationToken);

    private static Task<Results<Ok<FeaturesResponse>, ValidationProblem, ProblemHttpResult>> MerchantFeatures(
        [FromRoute(Name = "merchant_id")] string merchantId, string? at, [AsParameters] FeatureServices services, CancellationToken cancellationToken) =>
        ReadAsync(services, services.Definitions.Merchant, "merchant", merchantId, at, cancellationToken);

    private static Task<Results<Ok<FeaturesResponse>, ValidationProblem, ProblemHttpResult>> EntityFeatures(
        string entity, [FromRoute(Name = "entity_id")] string entityId, string? at, [AsParameters] FeatureServices services,
        CancellationToken cancellationToken) =>
        ReadAsync(services, services.Definitions.Plan.Entity(entity), entity, entityId, at, cancellationToken);

    private static Ok<RegistryResponse> RegistryFeatures(ActiveDefinitions definitions)
    {
        var registry = definitions.Registry;
        return TypedResults.Ok(new RegistryResponse
        {
            Version = registry.Number,
            AppliedAt = registry.Info?.AppliedAt,
            Sha256 = registry.Info?.Sha256,
            Timezone = registry.Definition.TimeZoneId,
            Features = registry.Definition.AllFeatures.Select(FeatureDescription.Of).ToArray(),
        });
    }

    private static async Task<Results<Ok<FeaturesResponse>, ValidationProblem, ProblemHttpResult>> ReadAsync(
        FeatureServices services, EntityPlan? entity, string entityName, string id, string? at, CancellationToken cancellationToken)
    {
        if (entity is null)
            return Problems.NotFound($"the active definitions have no {entityName} entity");
        long asOf;
        if (at is null)
        {
            asOf = services.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        }
        else if (TransactionTimestamps.TryParse(at, out var instant))
        {
            asOf = instant.ToUnixTimeMilliseconds();
        }
        else
        {
            return Problems.Invalid("at", TransactionTimestamps.Problem(at));
        }

        var reader = services.Reader;
        if (reader.AsOfProblem(asOf) is { } problem)
            return Problems.Invalid("at", problem);
        try
        {
            return TypedResults.Ok(await reader.ReadAsync(entity, id, asOf, cancellationToken));
        }
        catch (ArgumentOutOfRangeException)
        {
            // The watermark moved between the check and the read.
            return Problems.Invalid("at", reader.AsOfProblem(asOf) ?? "is outside the retained history");
        }
    }
}
