using Amlfs.Testing;

namespace Amlfs.Redis.Tests;

/// <summary>The online store contract for <see cref="RedisOnlineStore"/> against an in-process Garnet server.</summary>
public sealed class GarnetOnlineStoreTests(GarnetServerFixture garnet) : RedisOnlineStoreContract, IClassFixture<GarnetServerFixture>
{
    protected override RedisOnlineStoreOptions Options => new() { Host = garnet.Host, Port = garnet.Port };
}
