namespace Amlfs.Server.Ingestion;

/// <summary>Ingest cannot make transactions durable; none of the batch was acknowledged.</summary>
public sealed class IngestUnavailableException : Exception
{
    public IngestUnavailableException()
    {
    }

    public IngestUnavailableException(string message)
        : base(message)
    {
    }

    public IngestUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
