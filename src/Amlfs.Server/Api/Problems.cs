using System.Globalization;
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

    /// <summary>The ingest queue is full or the store cannot write: the caller retries after the given seconds.</summary>
    public static IResult Busy(HttpContext context, int status, string detail, int retryAfterSeconds)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(detail, statusCode: status,
            title: status == StatusCodes.Status429TooManyRequests ? "Too many requests" : "Service unavailable");
    }
}
