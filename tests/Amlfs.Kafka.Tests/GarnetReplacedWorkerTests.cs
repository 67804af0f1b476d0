using Amlfs.Redis;
using Amlfs.Testing;

namespace Amlfs.Kafka.Tests;

/// <summary>The replaced worker's writes against the Redis online store on an in-process Garnet server.</summary>
public sealed class GarnetReplacedWorkerTests(GarnetServerFixture garnet) : ReplacedWorkerContract, IClassFixture<GarnetServerFixture>
{
    protected override RedisOnlineStoreOptions Options => new() { Host = garnet.Host, Port = garnet.Port };
}
