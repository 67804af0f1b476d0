using Amlfs.Scoring;
using Amlfs.Security;
using Amlfs.Server.Api;
using Amlfs.Server.Dashboard.Contracts;
using Amlfs.Server.Hosting;
using Amlfs.Server.Security;
using Amlfs.Server.Serving;
using Amlfs.Transactions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Hosting;

namespace Amlfs.Server.Dashboard;

/// <summary>
/// The live dashboard: its page at <c>/</c> (and <c>/dashboard/</c>), its files under <c>/dashboard/assets/</c>, and
/// the JSON its pages read under <c>/dashboard/api/</c>, with the live overview as server-sent events.
/// </summary>
internal static class DashboardApi
{
    public static void MapDashboardApi(this IEndpointRouteBuilder app)
    {
        // The page and its assets hold no data: they load for anyone, and the page signs in before it reads the API.
        app.MapGet("/", Page).ExcludeFromDescription().AllowAnonymous();
        app.MapGet("/dashboard", Page).ExcludeFromDescription().AllowAnonymous();
        app.MapGet("/dashboard/assets/{**path}", Asset).ExcludeFromDescription().AllowAnonymous();

        var api = app.MapGroup("/dashboard/api").WithTags("Dashboard").RequireRole(ApiRole.Analyst);
        api.MapGet("/info", Info).WithName("DashboardInfo").WithSummary("The process's mode, model, definitions and what the dashboard keeps");
        api.MapGet("/overview", Overview).WithName("DashboardOverview")
            .WithSummary("The overview's history, one point per second (or per step of several seconds beyond 30 minutes), as columns: ?seconds=3600, at most 21600");
        api.MapGet("/stream", Stream).WithName("DashboardStream").ExcludeFromDescription();
        api.MapGet("/alerts", Alerts).WithName("DashboardAlerts")
            .WithSummary("The alerts the alert rules raised and the newest decisions, newest first: ?level=HIGH (the default; all for every level), &signal=, &model=, &limit=100");
        api.MapGet("/decisions/{transaction_id}", Decision).WithName("DashboardDecision")
            .WithSummary("One decision, found in memory, the decision log or the offline store (?at=<the transaction's time> searches its day): the transaction, score, level, explanation (largest contribution first) and the features as of its time");
        api.MapGet("/entities/{entity}/{entity_id}", Entity).WithName("DashboardEntity")
            .WithSummary("An entity's features now and ?at=<instant>, its recent decisions and counterparties");
        api.MapGet("/entities/{entity}/{entity_id}/series", Series).WithName("DashboardEntitySeries")
            .WithSummary("An entity's features as of each step of the last ?hours=24 (&step=600 seconds)");
        api.MapGet("/model", Model).WithName("DashboardModel").WithSummary("The model that decides, its figures, versions, report and drift");
        api.MapGet("/model/report", Report).WithName("DashboardModelReport").WithSummary("The stored evaluation report of the active model version (HTML)");
    }

    private static IResult Page(HttpContext context, DashboardAssets assets) => assets.Serve(context, "index.html");

    private static IResult Asset(HttpContext context, string path, DashboardAssets assets) => assets.Serve(context, path);

    private static Ok<DashboardInfo> Info(ActiveDefinitions definitions, TransactionScorer scorer, DecisionQueries decisions, OverviewRing ring, ServerSettings settings) =>
        TypedResults.Ok(new DashboardInfo
        {
            Mode = settings.OnlineStore is null ? "embedded" : "replica",
            Decides = decisions.Decides,
            ModelVersion = scorer.ModelVersion,
            RegistryVersion = definitions.Registry.Number,
            Entities = [.. (definitions.Layout?.Entities ?? definitions.Plan.Entities).Select(e => e.Name)],
            HistorySeconds = ring.Capacity,
            DecisionCapacity = decisions.Capacity,
        });

    private static Results<Ok<OverviewHistory>, ValidationProblem> Overview(int? seconds, OverviewRing ring, TimeProvider clock)
    {
        var span = seconds ?? 3600;
        if (span < 1 || span > ring.Capacity)
            return Problems.Invalid("seconds", $"must be from 1 to {ring.Capacity}, got {span}");
        return TypedResults.Ok(ring.History(clock.GetUtcNow().ToUnixTimeMilliseconds(), span));
    }

    private static OverviewStream Stream(OverviewBroadcast broadcast, IHostApplicationLifetime lifetime) => new(broadcast, lifetime);

    private static Results<Ok<AlertsResponse>, ValidationProblem> Alerts(string? level, string? signal, string? model, int? limit, DecisionQueries decisions)
    {
        RiskLevel? wanted = RiskLevel.High;
        if (level is not null && !level.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            wanted = level.ToUpperInvariant() switch
            {
                "LOW" => RiskLevel.Low,
                "MEDIUM" => RiskLevel.Medium,
                "HIGH" => RiskLevel.High,
                _ => (RiskLevel?)null,
            };
            if (wanted is null)
                return Problems.Invalid("level", $"must be LOW, MEDIUM, HIGH or all, got '{level}'");
        }
        else if (level is not null)
        {
            wanted = null;
        }

        if (limit is < 1 or > DecisionQueries.MaxLimit)
            return Problems.Invalid("limit", $"must be from 1 to {DecisionQueries.MaxLimit}, got {limit}");
        return TypedResults.Ok(decisions.Alerts(wanted, Blank(signal), Blank(model), limit ?? 100));
    }

    private static async Task<Results<Ok<DecisionDetail>, ValidationProblem, ProblemHttpResult>> Decision(
        [FromRoute(Name = "transaction_id")] string transactionId, string? at, DecisionQueries decisions, CancellationToken cancellationToken)
    {
        if (!decisions.Decides)
            return Problems.NotFound("this process is an API replica that does not follow the workers' decisions (start it with --kafka)");
        DateOnly? day = null;
        if (at is not null)
        {
            if (!TransactionTimestamps.TryParse(at, out var instant))
                return Problems.Invalid("at", TransactionTimestamps.Problem(at));
            day = DateOnly.FromDateTime(instant.UtcDateTime);
        }

        var search = await decisions.FindAsync(transactionId, day, cancellationToken);
        return search is { Decision: { } decision, Source: { } source }
            ? TypedResults.Ok(await decisions.DetailAsync(decision, source, cancellationToken))
            : Problems.NotFound(decisions.Missing(transactionId, day, search));
    }

    private static async Task<Results<Ok<EntityDetail>, ValidationProblem, ProblemHttpResult>> Entity(
        string entity, [FromRoute(Name = "entity_id")] string entityId, string? at, EntityQueries entities, CancellationToken cancellationToken)
    {
        if (entities.Entity(entity) is not { } plan)
            return Problems.NotFound($"the active definitions have no {entity} entity");
        long? atMs = null;
        if (at is not null)
        {
            if (!TransactionTimestamps.TryParse(at, out var instant))
                return Problems.Invalid("at", TransactionTimestamps.Problem(at));
            atMs = instant.ToUnixTimeMilliseconds();
        }

        return TypedResults.Ok(await entities.DetailAsync(plan, entityId, atMs, cancellationToken));
    }

    private static async Task<Results<Ok<EntitySeries>, ValidationProblem, ProblemHttpResult>> Series(
        string entity, [FromRoute(Name = "entity_id")] string entityId, int? hours, int? step, EntityQueries entities, CancellationToken cancellationToken)
    {
        if (entities.Entity(entity) is not { } plan)
            return Problems.NotFound($"the active definitions have no {entity} entity");
        if (hours is < 1 or > 24)
            return Problems.Invalid("hours", $"must be from 1 to 24, got {hours}");
        if (step is < 10 or > 3600)
            return Problems.Invalid("step", $"must be from 10 to 3600 seconds, got {step}");
        return TypedResults.Ok(await entities.SeriesAsync(plan, entityId, hours ?? 24, step ?? 600, cancellationToken));
    }

    private static Ok<ModelDetail> Model(ModelQueries models) => TypedResults.Ok(models.Detail());

    private static Results<PhysicalFileHttpResult, ProblemHttpResult> Report(ModelQueries models) =>
        models.ReportFile() is { } file
            ? TypedResults.PhysicalFile(file, "text/html; charset=utf-8")
            : Problems.NotFound("no evaluation report is stored for the active model: run amlfs evaluate --model VERSION --report FILE.html");

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
