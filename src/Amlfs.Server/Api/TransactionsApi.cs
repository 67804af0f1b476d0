using Amlfs.Engine;
using Amlfs.Server.Contracts;
using Amlfs.Server.Hosting;
using Amlfs.Server.Ingestion;
using Amlfs.Transactions;

namespace Amlfs.Server.Api;

/// <summary><c>POST /transactions</c>: ingest one transaction or a batch, idempotent by transaction_id.</summary>
internal static class TransactionsApi
{
    public static void MapTransactionsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/transactions", Ingest)
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

    private static async Task<IResult> Ingest(HttpContext context, AmlfsRuntime runtime)
    {
        if (runtime is ReplicaRuntime replica)
            return Problems.ReplicaIngest(replica.OnlineStoreEndpoint);
        var embedded = (EmbeddedRuntime)runtime;
        var body = await JsonBody.ReadAllAsync(context.Request, runtime.Settings.MaxRequestBodyBytes);
        List<TransactionRequest>? items;
        bool single;
        IResult? problem;
        try
        {
            single = JsonBody.FirstToken(body.Buffer) != (byte)'[';
            if (single)
            {
                var one = JsonBody.Parse(body.Buffer, AmlfsJsonContext.Default.TransactionRequest, out problem);
                items = one is null ? null : [one];
            }
            else
            {
                items = JsonBody.Parse(body.Buffer, AmlfsJsonContext.Default.ListTransactionRequest, out problem);
            }
        }
        finally
        {
            context.Request.BodyReader.AdvanceTo(body.Buffer.End);
        }

        if (problem is not null || items is null)
            return problem ?? Problems.Invalid("body", "must be a transaction or an array of transactions");
        var limit = runtime.Settings.MaxBatchTransactions;
        if (items.Count > limit)
            return Problems.TooLarge($"a request carries at most {limit} transactions, got {items.Count}");

        var now = runtime.Clock.GetUtcNow();
        var results = new IngestResult?[items.Count];
        var valid = new List<Transaction>(items.Count);
        var positions = new List<int>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item is null)
            {
                results[i] = new IngestResult { TransactionId = null, Status = IngestStatus.Invalid.WireName(), Errors = [new("body", "must be a transaction object, got null")] };
                continue;
            }

            var errors = TransactionValidator.Validate(item.ToInput(), out var transaction, now);
            if (transaction is null)
            {
                if (single)
                {
                    runtime.Metrics.RecordInvalid(1);
                    return Problems.Invalid("The transaction is invalid: " + string.Join("; ", errors.Select(e => $"{e.Field} {e.Message}")),
                        errors.Select(e => new FieldProblem(e.Field, e.Message)));
                }

                results[i] = new IngestResult
                {
                    TransactionId = item.TransactionId,
                    Status = IngestStatus.Invalid.WireName(),
                    Errors = errors.Select(e => new FieldProblem(e.Field, e.Message)).ToArray(),
                };
                continue;
            }

            valid.Add(transaction);
            positions.Add(i);
        }

        runtime.Metrics.RecordInvalid(items.Count - valid.Count);
        var outcome = await IngestAsync(context, embedded, valid.ToArray());
        if (outcome.Problem is not null)
            return outcome.Problem;
        for (var k = 0; k < positions.Count; k++)
            results[positions[k]] = new IngestResult { TransactionId = valid[k].TransactionId, Status = outcome.Statuses[k].WireName() };

        var accepted = outcome.Statuses.Count(s => s == IngestStatus.Accepted);
        var duplicates = outcome.Statuses.Count(s => s == IngestStatus.Duplicate);
        return TypedResults.Ok(new IngestResponse
        {
            Accepted = accepted,
            Duplicates = duplicates,
            Rejected = items.Count - accepted - duplicates,
            Results = results!,
        });
    }

    /// <summary>Enqueues and waits for the acknowledgement, or returns the 429 / 503 problem.</summary>
    internal static async Task<(IngestStatus[] Statuses, IResult? Problem)> IngestAsync(HttpContext context, EmbeddedRuntime runtime, Transaction[] batch)
    {
        switch (runtime.Pipeline.TryEnqueue(batch, out var completion))
        {
            case EnqueueResult.Full:
                return ([], Problems.Busy(context, StatusCodes.Status429TooManyRequests,
                    $"the ingest queue holds {runtime.Pipeline.Capacity} transactions and is full; retry after 1 s", 1));
            case EnqueueResult.Failed:
                return ([], Unavailable(context, runtime));
        }

        try
        {
            return (await completion, null);
        }
        catch (IngestUnavailableException)
        {
            return ([], Unavailable(context, runtime));
        }
    }

    private static IResult Unavailable(HttpContext context, EmbeddedRuntime runtime) =>
        Problems.Busy(context, StatusCodes.Status503ServiceUnavailable,
            "ingest is unavailable: " + (runtime.Pipeline.Failure?.Message ?? "the server is stopping") + ". Nothing of this request was acknowledged.", 5);
}
