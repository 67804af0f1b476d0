namespace Amlfs.Server.Ingestion;

/// <summary>Why a batch was not taken (<see cref="IngestOutcome.Failure"/>); nothing of it was acknowledged.</summary>
internal enum IngestFailure
{
    /// <summary>The batch was taken: every transaction has its status.</summary>
    None,

    /// <summary>The ingest queue is at capacity: retry shortly (HTTP 429).</summary>
    QueueFull,

    /// <summary>The write-ahead log cannot be written, or the server is stopping (HTTP 503).</summary>
    Unavailable,

    /// <summary>This process records no transaction: a replica, whose transactions go to Kafka (HTTP 503).</summary>
    Refused,
}
