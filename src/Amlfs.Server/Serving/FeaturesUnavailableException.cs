using Amlfs.OnlineStore;

namespace Amlfs.Server.Serving;

/// <summary>
/// Features cannot be read now: the online store a replica reads them from does not answer. Nothing is wrong with the
/// request, which the API answers with 503 and which can be retried; the store reconnects by itself.
/// </summary>
internal sealed class FeaturesUnavailableException(string endpoint, OnlineStoreUnavailableException innerException)
    : Exception($"the online store at {endpoint} is unavailable: {innerException.Message}", innerException)
{
    /// <summary>How the store is named to callers, e.g. <c>redis://cache:6379</c>; never a password.</summary>
    public string Endpoint { get; } = endpoint;
}
