using Amlfs.Transactions;

namespace Amlfs.Server.Ingestion;

/// <summary>
/// The embedded server's ingest: batches go into the <see cref="IngestPipeline"/>'s bounded queue, and complete once the
/// single writer has made them durable and visible. A full queue or a pipeline that cannot write refuses at once.
/// </summary>
internal sealed class PipelineIngest(IngestPipeline pipeline) : IIngestService
{
    public string? Refusal => null;

    public async Task<IngestOutcome> IngestAsync(Transaction[] batch)
    {
        switch (pipeline.TryEnqueue(batch, out var completion))
        {
            case EnqueueResult.Full:
                return IngestOutcome.NotTaken(IngestFailure.QueueFull, $"the ingest queue holds {pipeline.Capacity} transactions and is full");
            case EnqueueResult.Failed:
                return Unavailable();
        }

        try
        {
            return IngestOutcome.Taken(await completion.ConfigureAwait(false));
        }
        catch (IngestUnavailableException)
        {
            return Unavailable();
        }
    }

    private IngestOutcome Unavailable() => IngestOutcome.NotTaken(IngestFailure.Unavailable,
        "ingest is unavailable: " + (pipeline.Failure?.Message ?? "the server is stopping"));
}
