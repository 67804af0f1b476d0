using System.Globalization;
using Amlfs.Server.Contracts;
using Amlfs.Server.Ingestion;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amlfs.Server.Api;

/// <summary>RFC 7807 problem bodies, each naming what is wrong so that a caller can fix it.</summary>
internal static class Problems
{
    public static ValidationProblem Invalid(string detail, IEnumerable<FieldProblem> errors) =>
        TypedResults.ValidationProblem(
            errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            detail: detail,
            title: "The request is invalid");

    public static ValidationProblem Invalid(string field, string message) =>
        Invalid($"{field}: {message}", [new FieldProblem(field, message)]);

    public static ProblemHttpResult TooLarge(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request is too large");

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    /// <summary>A replica's online store does not answer: nothing is wrong with the request, which can be retried.</summary>
    public static ProblemHttpResult OnlineStoreUnavailable(HttpContext context, string endpoint)
    {
        context.Response.Headers.RetryAfter = "1";
        return TypedResults.Problem(
            $"the online store at {endpoint} is unavailable, so features cannot be read now; the request can be retried (Retry-After: 1 s)",
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "The online store is unavailable");
    }

    /// <summary>
    /// Why ingest did not take a batch: a full queue (429, retry after 1 s), ingest unavailable (503, retry after 5 s), or
    /// a process that records no transaction (503: a replica, whose transactions go to Kafka). Null when it took it.
    /// </summary>
    public static ProblemHttpResult? NotIngested(HttpContext context, IngestOutcome outcome) => outcome.Failure switch
    {
        IngestFailure.None => null,
        IngestFailure.QueueFull => Busy(context, StatusCodes.Status429TooManyRequests, outcome.Detail + "; retry after 1 s", 1),
        IngestFailure.Unavailable => Busy(context, StatusCodes.Status503ServiceUnavailable, outcome.Detail + ". Nothing of this request was acknowledged.", 5),
        _ => NotIngesting(outcome.Detail ?? "this process records no transaction"),
    };

    /// <summary>This process records no transaction (a replica: ingest goes through Kafka to the workers that fill its store).</summary>
    public static ProblemHttpResult NotIngesting(string refusal) =>
        TypedResults.Problem(refusal, statusCode: StatusCodes.Status503ServiceUnavailable, title: "This replica does not ingest transactions");

    /// <summary>The ingest queue is full or the store cannot write: the caller retries after the given seconds.</summary>
    private static ProblemHttpResult Busy(HttpContext context, int status, string detail, int retryAfterSeconds)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(detail, statusCode: status,
            title: status == StatusCodes.Status429TooManyRequests ? "Too many requests" : "Service unavailable");
    }
}
