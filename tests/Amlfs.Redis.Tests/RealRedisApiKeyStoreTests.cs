using Amlfs.Testing;

namespace Amlfs.Redis.Tests;

/// <summary>
/// The key store contract for <see cref="RedisApiKeyStore"/> against a real redis-server, when one is configured (see
/// <see cref="RealRedisServerAttribute"/>); skipped otherwise.
/// </summary>
[RealRedisServer]
public sealed class RealRedisApiKeyStoreTests : RedisApiKeyStoreContract
{
    protected override RedisOnlineStoreOptions Options =>
        RealRedisServerAttribute.Options() ?? throw new InvalidOperationException(RealRedisServerAttribute.NotConfigured);
}
