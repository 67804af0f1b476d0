using System.Security.Claims;
using System.Threading.RateLimiting;
using Amlfs.Security;

namespace Amlfs.Server.Security;

/// <summary>
/// The user of a request that came in with a key (<see cref="ApiKeyGate"/>): named after the key, with the key's role
/// as its role claim, its public id (<see cref="KeyIdClaim"/>) and how it came in (<see cref="ViaClaim"/>), and the rate
/// limit its requests share. Made once per key and way in, and shared by that key's requests, which only read it.
/// </summary>
internal sealed class ApiKeyPrincipal : ClaimsPrincipal
{
    /// <summary>The claim with the key's public id.</summary>
    public const string KeyIdClaim = "amlfs:key_id";

    /// <summary>The claim saying how the request was authenticated: <c>key</c> or <c>session</c>.</summary>
    public const string ViaClaim = "amlfs:via";

    private const string AuthenticationType = "ApiKey";

    public ApiKeyPrincipal(ApiKeyRecord record, string via, AuthSettings settings)
        : base(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, record.Name), new Claim(ClaimTypes.Role, record.Role.Name()), new Claim(KeyIdClaim, record.Id), new Claim(ViaClaim, via)],
            AuthenticationType))
    {
        Record = record;
        RateLimit = settings.RateLimits.TryGetValue(record.Role, out var rate)
            ? RateLimitPartition.GetTokenBucketLimiter(record.Name, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = rate,
                TokensPerPeriod = rate,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            })
            : RateLimitPartition.GetNoLimiter("");
    }

    public ApiKeyRecord Record { get; }

    /// <summary>The key's token bucket (by key name: a key's requests share one), or none for a role without a limit.</summary>
    public RateLimitPartition<string> RateLimit { get; }
}
