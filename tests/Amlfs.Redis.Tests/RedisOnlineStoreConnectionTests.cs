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
