using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Serialization.Metadata;
using Amlfs.Engine;
using Amlfs.Scoring;
using Amlfs.Security;
using Amlfs.Server.Contracts;
using Amlfs.Server.Security;
using Amlfs.Transactions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amlfs.Server.Api;

/// <summary><c>POST /predict</c> and <c>POST /batch-predict</c>: risk scores with reasons.</summary>
internal static class PredictApi
{
    public static void MapPredictApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/predict", Predict)
            .RequireRole(ApiRole.Score)
            .WithName("Predict")
            .WithTags("Scoring")
            .WithSummary("Score one transaction")
            .WithDescription("Builds the feature vector as of the transaction's timestamp (the receive time when omitted) from events before it, scores it with the active model and explains the score in the language of Accept-Language (en or pt-BR). No side effect unless \"record\": true, which ingests the transaction after scoring (a replica, serve --online-store, answers 503 to it). A replica answers 503 while its online store is unavailable.")
            .Accepts<PredictRequest>("application/json")
            .Produces<PredictResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapPost("/batch-predict", BatchPredict)
            .RequireRole(ApiRole.Score)
            .WithName("BatchPredict")
            .WithTags("Scoring")
            .WithSummary("Score many transactions, one response each, in order")
            .WithDescription("Every transaction is scored against the state before the batch; those with \"record\": true are ingested after the whole batch is scored. One invalid transaction makes the whole request a 400 naming it by index.")
            .Accepts<List<PredictRequest>>("application/json")
            .Produces<List<PredictResponse>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<Results<JsonResponse<PredictResponse>, ValidationProblem, ProblemHttpResult>> Predict(
        HttpContext context, [AsParameters] PredictServices services, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var body = await JsonBody.ReadAllAsync(context.Request, services.Settings.MaxRequestBodyBytes);
        List<BodyTransaction>? items;
        bool isArray;
        ValidationProblem? problem;
        try
        {
            items = TransactionBody.Read(body.Buffer, acceptRecord: true, out isArray, out problem);
        }
        finally
        {
            context.Request.BodyReader.AdvanceTo(body.Buffer.End);
        }

        if (items is null)
            return problem!;
        if (isArray)
            return Problems.Invalid("body", "must be one transaction object; send an array to /batch-predict");
        var request = items[0];
        if (services.Definitions.Customer is null)
            return Problems.NotFound("the active definitions have no customer entity, so there is nothing to score");
        if (request.Record && services.Ingest.Refusal is { } refusal)
            return Problems.NotIngesting(refusal);
        var transaction = Validate(services, request, "", out problem);
        if (transaction is null)
            return problem!;

        var culture = ExplanationFormatter.ParseAcceptLanguage(context.Request.Headers.AcceptLanguage.ToString());
        var response = (await services.Scorer.ScoreAsync([transaction], culture, start, cancellationToken))[0];
        // The HTTP API's own options (naming, converters, nulls written), so that this answer reads as every other does.
        var responseType = (JsonTypeInfo<PredictResponse>)services.Json.Value.SerializerOptions.GetTypeInfo(typeof(PredictResponse));
        if (!request.Record)
            return new JsonResponse<PredictResponse>(response, responseType);

        var outcome = await services.Ingest.IngestAsync([transaction]);
        if (Problems.NotIngested(context, outcome) is { } busy)
            return busy;
        return new JsonResponse<PredictResponse>(response with
        {
            Recorded = outcome.Statuses[0].WireName(),
            ProcessingTimeMs = Math.Round(Stopwatch.GetElapsedTime(start).TotalMilliseconds, 3),
        }, responseType);
    }

    private static async Task<Results<Ok<List<PredictResponse>>, ValidationProblem, ProblemHttpResult>> BatchPredict(
        HttpContext context, [AsParameters] PredictServices services, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var body = await JsonBody.ReadAllAsync(context.Request, services.Settings.MaxRequestBodyBytes);
        List<BodyTransaction>? requests;
        bool isArray;
        ValidationProblem? problem;
        try
        {
            requests = TransactionBody.Read(body.Buffer, acceptRecord: true, out isArray, out problem);
        }
        finally
        {
            context.Request.BodyReader.AdvanceTo(body.Buffer.End);
        }

        if (requests is null)
            return problem!;
        if (!isArray)
            return Problems.Invalid("body", "must be an array of transactions");
        if (requests.Count > services.Settings.MaxBatchTransactions)
            return Problems.TooLarge($"a request carries at most {services.Settings.MaxBatchTransactions} transactions, got {requests.Count}");
        if (services.Definitions.Customer is null)
            return Problems.NotFound("the active definitions have no customer entity, so there is nothing to score");
        if (services.Ingest.Refusal is { } refusal && requests.Exists(r => r.Record))
            return Problems.NotIngesting(refusal);

        var transactions = new Transaction[requests.Count];
        var errors = new List<FieldProblem>();
        for (var i = 0; i < requests.Count; i++)
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"[{i}].");
            if (Validate(services, requests[i], prefix, out _, errors) is { } transaction)
                transactions[i] = transaction;
        }

        if (errors.Count > 0)
            return Problems.Invalid($"{errors.Count} problem(s) in the batch: " + string.Join("; ", errors.Take(10).Select(e => $"{e.Field} {e.Message}")), errors);

        var culture = ExplanationFormatter.ParseAcceptLanguage(context.Request.Headers.AcceptLanguage.ToString());
        var responses = new List<PredictResponse>(await services.Scorer.ScoreAsync(transactions, culture, start, cancellationToken));
        var recorded = Enumerable.Range(0, requests.Count).Where(i => requests[i].Record).ToArray();
        if (recorded.Length > 0)
        {
            var outcome = await services.Ingest.IngestAsync(recorded.Select(i => transactions[i]).ToArray());
            if (Problems.NotIngested(context, outcome) is { } busy)
                return busy;
            for (var k = 0; k < recorded.Length; k++)
                responses[recorded[k]] = responses[recorded[k]] with { Recorded = outcome.Statuses[k].WireName() };
        }

        return TypedResults.Ok(responses);
    }

    /// <summary>
    /// Validates a request to score, stamping the receive time when it has no timestamp and making its id when it has
    /// none (the seed's requests carry none: <see cref="TransactionIds"/>), and checks that its features can be read as
    /// of its time. Problems go to <paramref name="errors"/> when given, else into a 400; a request that is not an
    /// object is named by <paramref name="prefix"/> alone.
    /// </summary>
    private static Transaction? Validate(PredictServices services, BodyTransaction request, string prefix, out ValidationProblem? problem, List<FieldProblem>? errors = null)
    {
        problem = null;
        var now = services.Clock.GetUtcNow();
        var input = request.Input;
        if (input.TransactionId is null && !request.Errors.Exists(e => e.Field == "transaction_id"))
            input = input with { TransactionId = TransactionIds.New(now) };
        var found = new List<FieldProblem>();
        var fieldErrors = TransactionJsonReader.Validate(input, request.Errors, out var transaction, now);
        found.AddRange(fieldErrors.Select(e => new FieldProblem(
            e.Field == "body" && prefix.Length > 0 ? prefix.TrimEnd('.') : prefix + e.Field, e.Message)));
        if (transaction is not null && services.Features.AsOfProblem(transaction.TimestampMs) is { } timing)
            found.Add(new FieldProblem(prefix + "timestamp", timing));
        if (found.Count == 0)
            return transaction;
        if (errors is not null)
            errors.AddRange(found);
        else
            problem = Problems.Invalid("The transaction cannot be scored: " + string.Join("; ", found.Select(e => $"{e.Field} {e.Message}")), found);
        return null;
    }
}
