using Prometheus;

namespace Amlfs.Server.Security;

/// <summary>
/// <c>amlfs_auth_rejections_total{reason,key}</c>: requests refused for their API key, in the registry of the process
/// that refused them (the server's, or a worker's <c>/metrics</c>), so that one alert covers both.
/// </summary>
internal sealed class AuthRejections(IMetricFactory factory)
{
    private readonly Counter _rejections = factory.CreateCounter("amlfs_auth_rejections_total",
        "Requests refused for their API key, by reason (unauthenticated, forbidden, rate_limited, csrf) and key name (empty when unauthenticated).",
        ["reason", "key"]);

    /// <summary>
    /// Counts a request refused for its key: <c>unauthenticated</c> (no or no valid key; the name is empty),
    /// <c>forbidden</c> (the wrong role), <c>rate_limited</c>, <c>csrf</c>. Labelled with the key's name, never the key.
    /// </summary>
    public void Record(string reason, string keyName) => _rejections.WithLabels(reason, keyName).Inc();
}
