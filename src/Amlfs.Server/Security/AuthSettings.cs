using Amlfs.Security;

namespace Amlfs.Server.Security;

/// <summary>
/// Who may call the API: the keys checked (a key file or a shared store; neither turns checking off, and every route is
/// open), whether <c>/metrics</c> needs a key, and the requests per second each role's keys may make.
/// </summary>
public sealed record AuthSettings
{
    /// <summary>Requests per second a key of each role may make by default; a role not listed is not limited.</summary>
    public static IReadOnlyDictionary<ApiRole, int> DefaultRateLimits { get; } = new Dictionary<ApiRole, int>
    {
        [ApiRole.Ingest] = 2_000,
        [ApiRole.Score] = 50_000,
        [ApiRole.Analyst] = 200,
    };

    /// <summary>The key file (<see cref="ApiKeyStore"/>); null with no <see cref="KeyStore"/>: no key is checked and the API is open.</summary>
    public string? KeysFile { get; init; }

    /// <summary>A key store other than a file, such as the Redis that replicas share; it wins over <see cref="KeysFile"/>.</summary>
    public IApiKeyStore? KeyStore { get; init; }

    /// <summary>Whether <c>/metrics</c> needs a key (of any role); by default it is open, as scrapers expect.</summary>
    public bool MetricsNeedKey { get; init; }

    /// <summary>Requests per second per key, by role: a token bucket that holds one second's worth.</summary>
    public IReadOnlyDictionary<ApiRole, int> RateLimits { get; init; } = DefaultRateLimits;

    /// <summary>How long a dashboard sign-in lasts without use.</summary>
    public TimeSpan SessionIdle { get; init; } = TimeSpan.FromHours(8);

    public bool Enabled => KeyStore is not null || KeysFile is not null;

    /// <summary>The keys checked: <see cref="KeyStore"/>, or the key file's store.</summary>
    public IApiKeyStore Store() => KeyStore ?? new ApiKeyStore(KeysFile ?? throw new InvalidOperationException("keys are not checked"));

    /// <summary>Each problem with these settings, naming the setting.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var (role, rate) in RateLimits)
        {
            if (rate < 1)
                yield return $"rate-limit: {role.Name()} must be at least 1 request per second, got {rate}";
        }

        if (SessionIdle <= TimeSpan.Zero)
            yield return "session idle time: must be positive";
    }
}
