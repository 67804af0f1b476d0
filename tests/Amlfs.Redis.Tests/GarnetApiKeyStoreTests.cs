using Amlfs.Security;
using Amlfs.Testing;

namespace Amlfs.Redis.Tests;

/// <summary>The key store contract for <see cref="RedisApiKeyStore"/> against an in-process Garnet server, and a server that goes away.</summary>
public sealed class GarnetApiKeyStoreTests(GarnetServerFixture garnet) : RedisApiKeyStoreContract, IClassFixture<GarnetServerFixture>
{
    protected override RedisOnlineStoreOptions Options => new() { Host = garnet.Host, Port = garnet.Port };

    [Fact]
    public async Task A_store_that_goes_away_is_an_io_error_and_a_ring_keeps_the_keys_it_read_last()
    {
        using var server = new RestartableGarnetServer();
        server.Start();
        var options = new RedisOnlineStoreOptions { Host = server.Host, Port = server.Port, ReconnectInBackground = true };
        await using var store = await RedisApiKeyStore.ConnectAsync(options, key: Key);
        var key = store.Create("admin", ApiRole.Admin).Key;
        using var ring = new ApiKeyRing(store);

        server.Stop();
        ring.Reload();

        Assert.Contains("cannot be reached", Assert.Throws<IOException>(() => store.List()).Message, StringComparison.Ordinal);
        Assert.NotNull(ring.Find(key));
        Assert.Contains("cannot be reached", ring.Problem, StringComparison.Ordinal);
    }
}
