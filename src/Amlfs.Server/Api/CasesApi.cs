using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Amlfs.Cases;
using Amlfs.Security;
using Amlfs.Server.Cases;
using Amlfs.Server.Contracts;
using Amlfs.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Amlfs.Server.Api;

/// <summary>
/// <c>/cases</c>: the work queue of cases that alerts open, a case with its alerts, decisions, notes and history, and
/// the analyst's steps (transitions, notes, assignment). One endpoint group, so that access rules apply to all of it.
/// Who did a step is the request's authenticated name, or <c>anonymous</c>.
/// </summary>
internal static class CasesApi
{
    /// <summary>The largest body a step takes.</summary>
    private const long BodyLimit = 64 * 1024;

    private const int MaxLimit = 500;

    /// <summary>The actor of a request that is not authenticated.</summary>
    public const string Anonymous = "anonymous";

    /// <summary>Maps the group; returns it so that the host can add requirements to every case endpoint.</summary>
    public static RouteGroupBuilder MapCasesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/cases").WithTags("Cases").RequireRole(ApiRole.Analyst);
        group.MapGet("/", List)
            .WithName("ListCases")
            .WithSummary("Cases, highest score first then oldest (order=age: oldest first); filters status, assignee, entity_type, entity_id, min_age, max_age (90s, 15m, 2h, 1d); a page of limit after cursor")
            .Produces<CaseListResponse>()
            .ProducesValidationProblem();
        group.MapGet("/{id}", Get)
            .WithName("GetCase")
            .WithSummary("A case with its alerts, their decisions and explanations, its notes, its history and the transitions allowed now")
            .Produces<CaseResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/transitions", Transition)
            .WithName("TransitionCase")
            .WithSummary("Moves a case: {\"to\": \"investigating\"|\"closed\", \"disposition\": \"laundering_confirmed\"|\"false_positive\"|\"inconclusive\" (to close), \"note\": ...}")
            .WithDescription("open -> investigating -> closed, or open -> closed. A transition the status does not allow answers 409 naming the status and the allowed ones. Closing labels the case's decisions in the offline store's label table, known at the close time (inconclusive: no label).")
            .Accepts<CaseTransitionRequest>("application/json")
            .Produces<CaseResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id}/notes", Note)
            .WithName("NoteCase")
            .WithSummary("Adds a note to a case that is not closed: {\"text\": ...}")
            .Accepts<CaseNoteRequest>("application/json")
            .Produces<CaseResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id}/assignment", Assign)
            .WithName("AssignCase")
            .WithSummary("Assigns a case that is not closed: {\"assignee\": \"name\"}, or null to unassign")
            .Accepts<CaseAssignmentRequest>("application/json")
            .Produces<CaseResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    private static Results<Ok<CaseListResponse>, ValidationProblem> List(
        string? status, string? assignee, [FromQuery(Name = "entity_type")] string? entityType, [FromQuery(Name = "entity_id")] string? entityId,
        [FromQuery(Name = "min_age")] string? minAge, [FromQuery(Name = "max_age")] string? maxAge, string? order, int? limit, string? cursor,
        CaseService cases, TimeProvider clock)
    {
        CaseStatus? parsedStatus = null;
        if (status is not null && (parsedStatus = CaseNames.ParseStatus(status)) is null)
            return Problems.Invalid("status", "must be one of " + string.Join(", ", CaseNames.AllStatuses));
        if (order is not null && order is not ("score" or "age"))
            return Problems.Invalid("order", "must be score or age");
        if (limit is < 1 or > MaxLimit)
            return Problems.Invalid("limit", $"must be between 1 and {MaxLimit}");
        if (cursor is not null && !CaseQuery.IsCursor(cursor))
            return Problems.Invalid("cursor", "is not a cursor this API gave");
        TimeSpan? min = null, max = null;
        if (minAge is not null && (min = ParseAge(minAge)) is null)
            return Problems.Invalid("min_age", "must be a duration such as 90s, 15m, 2h or 1d");
        if (maxAge is not null && (max = ParseAge(maxAge)) is null)
            return Problems.Invalid("max_age", "must be a duration such as 90s, 15m, 2h or 1d");
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var page = new CaseQuery
        {
            Status = parsedStatus,
            Assignee = assignee,
            EntityType = entityType,
            EntityId = entityId,
            MinAge = min,
            MaxAge = max,
            Order = order == "age" ? CaseOrder.Age : CaseOrder.Score,
            Limit = limit ?? 50,
            Cursor = cursor,
        }.Run(cases.Book.All(), now);
        return TypedResults.Ok(new CaseListResponse([.. page.Cases.Select(c => View(c, now, detail: false))], page.Total, page.Next));
    }

    private static Results<Ok<CaseResponse>, ProblemHttpResult> Get(string id, CaseService cases, TimeProvider clock) =>
        CaseNames.ParseId(id) is { } number && cases.Book.Get(number) is { } found
            ? TypedResults.Ok(View(found, clock.GetUtcNow().ToUnixTimeMilliseconds(), detail: true))
            : Problems.NotFound($"no case {id}");

    private static async Task<Results<Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> Transition(
        string id, HttpContext context, CaseService cases, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (CaseNames.ParseId(id) is not { } number)
            return Problems.NotFound($"no case {id}");
        var (body, invalid) = await ReadAsync(context.Request, AmlfsJsonContext.Default.CaseTransitionRequest);
        if (invalid is not null)
            return invalid;
        if (body!.To is null)
            return Problems.Invalid("to", "is required: investigating or closed");
        if (CaseNames.ParseStatus(body.To) is not { } to || to == CaseStatus.Open)
            return Problems.Invalid("to", "must be investigating or closed");
        CaseDisposition? disposition = null;
        if (body.Disposition is not null && (disposition = CaseNames.ParseDisposition(body.Disposition)) is null)
            return Problems.Invalid("disposition", "must be one of " + string.Join(", ", CaseNames.AllDispositions));
        var change = await cases.TransitionAsync(number, to, disposition, string.IsNullOrWhiteSpace(body.Note) ? null : body.Note, Actor(context), cancellationToken);
        return Answer(change, id, clock);
    }

    private static async Task<Results<Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> Note(
        string id, HttpContext context, CaseService cases, TimeProvider clock)
    {
        if (CaseNames.ParseId(id) is not { } number)
            return Problems.NotFound($"no case {id}");
        var (body, invalid) = await ReadAsync(context.Request, AmlfsJsonContext.Default.CaseNoteRequest);
        if (invalid is not null)
            return invalid;
        if (string.IsNullOrWhiteSpace(body!.Text))
            return Problems.Invalid("text", "is required");
        return Answer(cases.Note(number, body.Text, Actor(context)), id, clock);
    }

    private static async Task<Results<Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> Assign(
        string id, HttpContext context, CaseService cases, TimeProvider clock)
    {
        if (CaseNames.ParseId(id) is not { } number)
            return Problems.NotFound($"no case {id}");
        var (body, invalid) = await ReadAsync(context.Request, AmlfsJsonContext.Default.CaseAssignmentRequest);
        if (invalid is not null)
            return invalid;
        return Answer(cases.Assign(number, body!.Assignee, Actor(context)), id, clock);
    }

    /// <summary>The one mapping of a case step's outcome to an answer.</summary>
    private static Results<Ok<CaseResponse>, ValidationProblem, ProblemHttpResult> Answer(CaseChange change, string id, TimeProvider clock) => change.Refusal switch
    {
        CaseRefusal.None => TypedResults.Ok(View(change.Case!, clock.GetUtcNow().ToUnixTimeMilliseconds(), detail: true)),
        CaseRefusal.NotFound => Problems.NotFound($"no case {id}"),
        CaseRefusal.Invalid => Problems.Invalid(change.Field!, change.Detail!),
        _ => Conflict(change.Case!, change.Detail!),
    };

    /// <summary>409 with the case's status and the statuses it may move to, as problem extensions.</summary>
    private static ProblemHttpResult Conflict(Case current, string detail) => TypedResults.Problem(detail,
        statusCode: StatusCodes.Status409Conflict, title: "The case does not allow this step",
        extensions: new Dictionary<string, object?>
        {
            ["case_status"] = current.Status.Name(),
            ["allowed_transitions"] = CaseNames.AllowedFrom(current.Status).Select(s => s.Name()).ToArray(),
        });

    /// <summary>The request's authenticated name, or <see cref="Anonymous"/>.</summary>
    private static string Actor(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : Anonymous;

    /// <summary>Reads a JSON body; a malformed one gives a problem naming the field (or <c>body</c>).</summary>
    private static async Task<(T? Body, ValidationProblem? Invalid)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type)
        where T : class
    {
        var read = await JsonBody.ReadAllAsync(request, BodyLimit);
        try
        {
            if (read.Buffer.IsEmpty)
                return (null, Problems.Invalid("body", "a JSON object is required"));
            var reader = new Utf8JsonReader(read.Buffer);
            var body = JsonSerializer.Deserialize(ref reader, type);
            return body is null ? (null, Problems.Invalid("body", "a JSON object is required")) : (body, null);
        }
        catch (JsonException e)
        {
            var field = e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "body";
            return (null, Problems.Invalid(field, "is not valid JSON of the expected type"));
        }
        finally
        {
            request.BodyReader.AdvanceTo(read.Buffer.End);
        }
    }

    /// <summary>A duration: a number and a unit (s, m, h, d), or a number of seconds.</summary>
    private static TimeSpan? ParseAge(string text)
    {
        var unit = text.Length > 0 && char.IsLetter(text[^1]) ? text[^1] : 's';
        var number = char.IsLetter(text[^1]) ? text[..^1] : text;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0 || double.IsInfinity(value))
            return null;
        return unit switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            'd' => TimeSpan.FromDays(value),
            _ => null,
        };
    }

    private static CaseResponse View(Case c, long nowMs, bool detail) => new()
    {
        Id = c.Id,
        Status = c.Status.Name(),
        EntityType = c.EntityType,
        EntityId = c.EntityId,
        Assignee = c.Assignee,
        Disposition = c.Disposition?.Name(),
        Score = c.MaxScore,
        AlertCount = c.Alerts.Count,
        OpenedAt = At(c.OpenedAtMs),
        UpdatedAt = At(c.UpdatedAtMs),
        ClosedAt = c.ClosedAtMs is { } closed ? At(closed) : null,
        AgeSeconds = Math.Max(0, nowMs - c.OpenedAtMs) / 1000.0,
        Labelled = c.Status == CaseStatus.Closed ? c.Labelled : null,
        AllowedTransitions = detail ? [.. CaseNames.AllowedFrom(c.Status).Select(s => s.Name())] : null,
        Alerts = detail ? [.. c.Alerts.Select(a => new CaseAlertResponse
        {
            AlertSequence = a.AlertSequence,
            Rule = a.Rule,
            Summary = a.Summary,
            RaisedAt = At(a.RaisedAtMs),
            TransactionId = a.TransactionId,
            CustomerId = a.CustomerId,
            MerchantId = a.MerchantId,
            EventTime = At(a.EventTimeMs),
            Score = a.Score,
            Level = a.Level.WireName(),
            ModelVersion = a.ModelVersion,
            Typology = a.Typology.Length == 0 ? null : a.Typology,
            Contributions = a.Contributions?.Select(x => new FeatureContribution(x.Feature, x.Value, x.Contribution)).ToArray(),
        })] : null,
        Notes = detail ? [.. c.Notes.Select(n => new CaseNoteResponse(n.Text, n.Author, At(n.AtMs)))] : null,
        History = detail ? [.. c.History.Select(e => new CaseEventResponse
        {
            Kind = EventName(e.Kind),
            At = At(e.AtMs),
            Actor = e.Actor,
            To = e.Kind == CaseEventKind.Transitioned ? e.To.Name() : null,
            Disposition = e.Disposition?.Name(),
            Assignee = e.Kind == CaseEventKind.Assigned ? e.Assignee : null,
            Text = e.Text.Length == 0 ? null : e.Text,
            AlertSequence = e.Alert?.AlertSequence,
        })] : null,
    };

    private static string EventName(CaseEventKind kind) => kind switch
    {
        CaseEventKind.Opened => "opened",
        CaseEventKind.AlertJoined => "alert_joined",
        CaseEventKind.Assigned => "assigned",
        CaseEventKind.Transitioned => "transitioned",
        CaseEventKind.Noted => "noted",
        _ => "labelled",
    };

    private static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
