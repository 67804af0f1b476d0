namespace Amlfs.OnlineStore;

/// <summary>
/// The online store's backing service could not be reached or did not answer in time. The message names the endpoint
/// (never a password); an API turns it into 503 Service Unavailable.
/// </summary>
public sealed class OnlineStoreUnavailableException : Exception
{
    public OnlineStoreUnavailableException()
    {
    }

    public OnlineStoreUnavailableException(string message)
        : base(message)
    {
    }

    public OnlineStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="endpoint"/> (host:port).</summary>
    public OnlineStoreUnavailableException(string endpoint, string message, Exception? innerException)
        : base($"the online store at {endpoint} is unavailable: {message}", innerException)
    {
        Endpoint = endpoint;
    }

    /// <summary>The host:port that could not be reached, when known.</summary>
    public string? Endpoint { get; }
}
