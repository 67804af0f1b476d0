using Amlfs.Testing;

namespace Amlfs.Redis.Tests;

/// <summary>
/// The online store contract for <see cref="RedisOnlineStore"/> against a real redis-server, when one is configured
/// (see <see cref="RealRedisServerAttribute"/>); skipped otherwise. Keys are written under a random version and expire.
/// </summary>
[RealRedisServer]
public sealed class RealRedisOnlineStoreTests : RedisOnlineStoreContract
{
    protected override RedisOnlineStoreOptions Options =>
        RealRedisServerAttribute.Options() ?? throw new InvalidOperationException(RealRedisServerAttribute.NotConfigured);
}
