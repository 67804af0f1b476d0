using Amlfs.Transactions;

namespace Amlfs.Server.Ingestion;

/// <summary>
/// Where the transactions of <c>POST /transactions</c>, of <c>"record": true</c> and of the synthetic producer go. The
/// embedded server's (<see cref="PipelineIngest"/>) makes them durable and visible before it answers; a replica's
/// (<see cref="ReplicaIngest"/>) records none, since its transactions go to Kafka, and says so before a request is read.
/// </summary>
internal interface IIngestService
{
    /// <summary>Why this process records no transaction at all, or null when it records them.</summary>
    string? Refusal { get; }

    /// <summary>
    /// Takes a batch and completes once every transaction of it is durable and visible to reads, with one status each,
    /// in order; or at once with why none of it was taken.
    /// </summary>
    Task<IngestOutcome> IngestAsync(Transaction[] batch);
}
