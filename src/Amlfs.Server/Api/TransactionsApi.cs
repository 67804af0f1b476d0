using Amlfs.Engine;
using Amlfs.Security;
using Amlfs.Server.Contracts;
using Amlfs.Server.Security;
using Amlfs.Transactions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amlfs.Server.Api;

/// <summary><c>POST /transactions</c>: ingest one transaction or a batch, idempotent by transaction_id.</summary>
internal static class TransactionsApi
{
    public static void MapTransactionsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/transactions", Ingest)
            .RequireRole(ApiRole.Ingest)
            .WithName("IngestTransactions")
            .WithTags("Ingest")
            .WithSummary("Ingest one transaction or an array of them")
            .WithDescription("A replica (serve --online-store) answers 503: transactions go to Kafka. Each transaction is accepted, reported as a duplicate (same transaction_id within the dedup retention; counted once), or rejected: late (older than the watermark minus the allowed lateness), future_timestamp, or invalid (with one error per bad field). An acknowledged transaction is durable and visible to /features. A single invalid transaction answers 400; in an array, invalid items are reported and the rest ingested.")
            .Accepts<List<TransactionRequest>>("application/json")
            .Produces<IngestResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<Results<Ok<IngestResponse>, ValidationProblem, ProblemHttpResult>> Ingest(HttpContext context, [AsParameters] IngestServices services)
    {
        if (services.Ingest.Refusal is { } refusal)
            return Problems.NotIngesting(refusal);
        var body = await JsonBody.ReadAllAsync(context.Request, services.Settings.MaxRequestBodyBytes);
        List<BodyTransaction>? items;
        bool isArray;
        ValidationProblem? problem;
        try
        {
            items = TransactionBody.Read(body.Buffer, acceptRecord: false, out isArray, out problem);
        }
        finally
        {
            context.Request.BodyReader.AdvanceTo(body.Buffer.End);
        }

        if (items is null)
            return problem!;
        var limit = services.Settings.MaxBatchTransactions;
        if (items.Count > limit)
            return Problems.TooLarge($"a request carries at most {limit} transactions, got {items.Count}");

        var now = services.Clock.GetUtcNow();
        var results = new IngestResult?[items.Count];
        var valid = new List<Transaction>(items.Count);
        var positions = new List<int>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var errors = TransactionJsonReader.Validate(item.Input, item.Errors, out var transaction, now);
            if (transaction is null)
            {
                if (!isArray)
                {
                    services.Metrics.RecordInvalid(1);
                    return Problems.Invalid("The transaction is invalid: " + string.Join("; ", errors.Select(e => $"{e.Field} {e.Message}")),
                        errors.Select(e => new FieldProblem(e.Field, e.Message)));
                }

                results[i] = new IngestResult
                {
                    TransactionId = item.Input.TransactionId,
                    Status = IngestStatus.Invalid.WireName(),
                    Errors = errors.Select(e => new FieldProblem(e.Field, e.Message)).ToArray(),
                };
                continue;
            }

            valid.Add(transaction);
            positions.Add(i);
        }

        services.Metrics.RecordInvalid(items.Count - valid.Count);
        var outcome = await services.Ingest.IngestAsync(valid.ToArray());
        if (Problems.NotIngested(context, outcome) is { } busy)
            return busy;
        var statuses = outcome.Statuses;
        for (var k = 0; k < positions.Count; k++)
            results[positions[k]] = new IngestResult { TransactionId = valid[k].TransactionId, Status = statuses[k].WireName() };

        var accepted = statuses.Count(s => s == IngestStatus.Accepted);
        var duplicates = statuses.Count(s => s == IngestStatus.Duplicate);
        return TypedResults.Ok(new IngestResponse
        {
            Accepted = accepted,
            Duplicates = duplicates,
            Rejected = items.Count - accepted - duplicates,
            Results = results!,
        });
    }
}
