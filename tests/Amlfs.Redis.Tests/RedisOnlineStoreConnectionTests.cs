using Amlfs.OnlineStore;
using Amlfs.Testing;

namespace Amlfs.Redis.Tests;

public sealed class RedisOnlineStoreConnectionTests
{
    [Fact]
    public async Task A_closed_port_gives_an_unavailable_store_that_names_the_endpoint()
    {
        var port = GarnetServerFixture.FreeTcpPort();
        var options = new RedisOnlineStoreOptions { Host = "127.0.0.1", Port = port, Password = "hunter2", ConnectTimeout = TimeSpan.FromSeconds(2) };

        var error = await Assert.ThrowsAsync<OnlineStoreUnavailableException>(() => RedisOnlineStore.ConnectAsync(options));

        Assert.Equal($"127.0.0.1:{port}", error.Endpoint);
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_without_lua_scripting_is_refused_by_name_when_written_to_yet_still_read()
    {
        using var server = new RestartableGarnetServer(scripting: false);
        server.Start();
        await using var store = await RedisOnlineStore.ConnectAsync(new RedisOnlineStoreOptions { Host = server.Host, Port = server.Port });
        var key = new OnlineStoreKey("0123456789abcdef", "customer", "C1");

        var write = await Assert.ThrowsAsync<NotSupportedException>(() => store.WriteAsync([new OnlineStoreEntry(key, new byte[] { 1 }, new StatePosition(1, 1, 1))], TimeSpan.FromMinutes(1)));
        var epoch = await Assert.ThrowsAsync<NotSupportedException>(() => store.NextEpochAsync());

        Assert.All(new[] { write, epoch }, e => Assert.Contains(server.Endpoint, e.Message, StringComparison.Ordinal));
        Assert.Contains("--lua", write.Message, StringComparison.Ordinal);
        Assert.Null(await store.ReadAsync(key)); // a replica only reads, which needs no scripts
    }

    [Fact]
    public void Settings_give_host_port_password_and_tls()
    {
        var settings = new Dictionary<string, string> { ["REDIS_HOST"] = "cache", ["REDIS_PORT"] = "6380", ["REDIS_PASSWORD"] = "s3cret", ["REDIS_TLS"] = "true" };

        var options = RedisOnlineStoreOptions.FromSettings(settings.GetValueOrDefault);

        Assert.Equal(("cache", 6380, "s3cret", true), (options.Host, options.Port, options.Password, options.Tls));
        Assert.Equal("rediss://***@cache:6380", options.ToString());
    }

    [Fact]
    public void Only_the_host_setting_is_required()
    {
        var options = RedisOnlineStoreOptions.FromSettings(name => name == "REDIS_HOST" ? "localhost" : null);

        Assert.Equal(("localhost", 6379, null, false), (options.Host, options.Port, options.Password, options.Tls));
        Assert.Equal("redis://localhost:6379", options.ToString());
    }

    [Theory]
    [InlineData(null, null, null, "REDIS_HOST")]
    [InlineData("cache", "sixty", null, "REDIS_PORT")]
    [InlineData("cache", "70000", null, "Port 70000")]
    [InlineData("cache", null, "yes", "REDIS_TLS")]
    public void Bad_settings_are_refused_by_name(string? host, string? port, string? tls, string named)
    {
        var settings = new Dictionary<string, string?> { ["REDIS_HOST"] = host, ["REDIS_PORT"] = port, ["REDIS_TLS"] = tls };

        var error = Assert.Throws<ArgumentException>(() => RedisOnlineStoreOptions.FromSettings(settings.GetValueOrDefault));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_url_gives_the_same_options()
    {
        var options = RedisOnlineStoreOptions.FromUrl("rediss://:p%40ss@redis.example:6390");

        Assert.Equal(("redis.example", 6390, "p@ss", true), (options.Host, options.Port, options.Password, options.Tls));
        Assert.Equal(6379, RedisOnlineStoreOptions.FromUrl("redis://localhost").Port);
        Assert.Throws<ArgumentException>(() => RedisOnlineStoreOptions.FromUrl("http://localhost"));
    }
}
