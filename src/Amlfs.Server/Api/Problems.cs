using System.Globalization;
using Amlfs.Server.Contracts;
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
    public static IResult OnlineStoreUnavailable(HttpContext context, string endpoint)
    {
        context.Response.Headers.RetryAfter = "1";
        return TypedResults.Problem(
            $"the online store at {endpoint} is unavailable, so features cannot be read now; the request can be retried (Retry-After: 1 s)",
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "The online store is unavailable");
    }

    /// <summary>A replica records no transaction: ingest goes through Kafka to the workers that fill the online store.</summary>
    public static ProblemHttpResult ReplicaIngest(string endpoint) =>
        TypedResults.Problem(
            $"this replica serves features from the online store at {endpoint} only and records no transaction; send transactions to Kafka (amlfs produce --kafka), where the workers apply them and write the online store",
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "This replica does not ingest transactions");

    /// <summary>The ingest queue is full or the store cannot write: the caller retries after the given seconds.</summary>
    public static IResult Busy(HttpContext context, int status, string detail, int retryAfterSeconds)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(detail, statusCode: status,
            title: status == StatusCodes.Status429TooManyRequests ? "Too many requests" : "Service unavailable");
    }
}
