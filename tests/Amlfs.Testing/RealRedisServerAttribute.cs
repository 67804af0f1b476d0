using Amlfs.Redis;
using Amlfs.Testing.Contracts;

namespace Amlfs.Testing;

/// <summary>
/// Marks a test class that runs against a real Redis server named by <c>AMLFS_REDIS_URL</c> (<c>redis://host:port</c>)
/// or by <c>REDIS_HOST</c> and <c>REDIS_PORT</c>; without either its contract facts are skipped.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RealRedisServerAttribute : ExternalServerAttribute
{
    /// <inheritdoc />
    public override string? SkipReason => NotConfigured;

    /// <summary>Why the tests are skipped, or null when a server is configured.</summary>
    public static string? NotConfigured =>
        Options() is null
            ? "no real Redis server configured: set AMLFS_REDIS_URL=redis://host:port (or REDIS_HOST and REDIS_PORT) to run the contract against one"
            : null;

    /// <summary>The configured server, or null.</summary>
    public static RedisOnlineStoreOptions? Options() =>
        Environment.GetEnvironmentVariable("AMLFS_REDIS_URL") is { Length: > 0 } url
            ? RedisOnlineStoreOptions.FromUrl(url)
            : Environment.GetEnvironmentVariable("REDIS_HOST") is { Length: > 0 }
                ? RedisOnlineStoreOptions.FromSettings()
                : null;
}
