using Amlfs.Transactions;

namespace Amlfs.Server.Ingestion;

/// <summary>
/// A replica's ingest: it records no transaction. Transactions go to Kafka, where the workers apply them and write the
/// online store at <paramref name="onlineStoreEndpoint"/> that this replica reads; every batch is refused saying so.
/// </summary>
internal sealed class ReplicaIngest(string onlineStoreEndpoint) : IIngestService
{
    private readonly string _refusal =
        $"this replica serves features from the online store at {onlineStoreEndpoint} only and records no transaction; send transactions to Kafka (amlfs produce --kafka), where the workers apply them and write the online store";

    public string? Refusal => _refusal;

    public Task<IngestOutcome> IngestAsync(Transaction[] batch) =>
        Task.FromResult(IngestOutcome.NotTaken(IngestFailure.Refused, _refusal));
}
