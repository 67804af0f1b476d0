namespace Amlfs.Server.Ingestion;

/// <summary>Whether <see cref="IngestPipeline.TryEnqueue"/> took a batch.</summary>
internal enum EnqueueResult
{
    Queued,

    /// <summary>The queue is at capacity: retry shortly (HTTP 429).</summary>
    Full,

    /// <summary>The pipeline cannot write (HTTP 503).</summary>
    Failed,
}
