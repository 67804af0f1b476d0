using Amlfs.Testing;

namespace Amlfs.Redis.Tests;

/// <summary>The checkpoint store contract for <see cref="RedisCheckpointStore"/> against an in-process Garnet server.</summary>
public sealed class GarnetCheckpointStoreTests(GarnetServerFixture garnet) : RedisCheckpointStoreContract, IClassFixture<GarnetServerFixture>
{
    protected override RedisOnlineStoreOptions Options => new() { Host = garnet.Host, Port = garnet.Port };
}
