using Amlfs.Testing;

namespace Amlfs.Redis.Tests;

/// <summary>The checkpoint store contract for <see cref="RedisCheckpointStore"/> against a real redis-server, when one is configured.</summary>
[RealRedisServer]
public sealed class RealRedisCheckpointStoreTests : RedisCheckpointStoreContract
{
    protected override RedisOnlineStoreOptions Options =>
        RealRedisServerAttribute.Options() ?? throw new InvalidOperationException(RealRedisServerAttribute.NotConfigured);
}
