using Amlfs.Redis;
using Amlfs.Testing;

namespace Amlfs.Kafka.Tests;

/// <summary>The replaced worker's writes against the Redis online store on a real redis-server, when one is configured.</summary>
[RealRedisServer]
public sealed class RealRedisReplacedWorkerTests : ReplacedWorkerContract
{
    protected override RedisOnlineStoreOptions Options =>
        RealRedisServerAttribute.Options() ?? throw new InvalidOperationException(RealRedisServerAttribute.NotConfigured);
}
