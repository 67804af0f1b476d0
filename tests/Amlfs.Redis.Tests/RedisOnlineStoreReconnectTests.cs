using Amlfs.OnlineStore;
using Amlfs.Testing;

namespace Amlfs.Redis.Tests;

/// <summary>
/// <see cref="RedisOnlineStoreOptions.ReconnectInBackground"/>: a store that starts while the server is down, fails at
/// once while it is, and answers again once the server is back on the same port, without reconnecting by hand.
/// </summary>
public sealed class RedisOnlineStoreReconnectTests : IDisposable
{
    private static readonly OnlineStoreKey Key = new("0123456789abcdef", "customer", "C1");
    private static readonly StatePosition Position = new(StatePosition.LogOf("transactions/0"), 1, 1);

    private readonly RestartableGarnetServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task A_store_connected_while_the_server_is_down_answers_once_it_is_up()
    {
        await using var store = await RedisOnlineStore.ConnectAsync(Options());

        var error = await Assert.ThrowsAsync<OnlineStoreUnavailableException>(() => store.ReadAsync(Key));
        Assert.Equal(_server.Endpoint, error.Endpoint);

        _server.Start();
        await WaitUntilAnsweringAsync(store);
        await store.WriteAsync([new OnlineStoreEntry(Key, new byte[] { 1, 2, 3 }, Position)], TimeSpan.FromMinutes(1));
        Assert.Equal([1, 2, 3], await store.ReadAsync(Key));
    }

    [Fact]
    public async Task A_store_whose_server_restarts_fails_while_it_is_down_and_answers_after()
    {
        _server.Start();
        await using var store = await RedisOnlineStore.ConnectAsync(Options());
        await store.WriteAsync([new OnlineStoreEntry(Key, new byte[] { 7 }, Position)], TimeSpan.FromMinutes(1));

        _server.Stop();
        await Assert.ThrowsAsync<OnlineStoreUnavailableException>(async () =>
        {
            // The client learns of the closed connection asynchronously; the first reads may still go out and fail.
            for (var attempt = 0; attempt < 200; attempt++)
            {
                await store.ReadManyAsync([Key]);
                await Task.Delay(25);
            }
        });

        _server.Start();
        await WaitUntilAnsweringAsync(store);
        Assert.Null(await store.ReadAsync(Key)); // a fresh, empty server
    }

    [Fact]
    public async Task Without_the_option_connecting_to_a_down_server_throws()
    {
        var options = Options() with { ReconnectInBackground = false };

        await Assert.ThrowsAsync<OnlineStoreUnavailableException>(() => RedisOnlineStore.ConnectAsync(options));
    }

    [Fact]
    public async Task A_server_that_refuses_the_password_leaves_the_store_unavailable_without_showing_it()
    {
        using var guarded = new RestartableGarnetServer(password: "right");
        guarded.Start();
        await using var store = await RedisOnlineStore.ConnectAsync(new RedisOnlineStoreOptions
        {
            Host = guarded.Host,
            Port = guarded.Port,
            Password = "x9-not-the-password",
            ReconnectInBackground = true,
            ConnectTimeout = TimeSpan.FromSeconds(2),
        });

        var error = await Assert.ThrowsAsync<OnlineStoreUnavailableException>(() => store.ReadManyAsync([Key]));

        Assert.Equal(guarded.Endpoint, error.Endpoint);
        Assert.DoesNotContain("x9-not-the-password", error.ToString(), StringComparison.Ordinal);
    }

    private RedisOnlineStoreOptions Options() => new()
    {
        Host = _server.Host,
        Port = _server.Port,
        ReconnectInBackground = true,
        ConnectTimeout = TimeSpan.FromSeconds(2),
    };

    /// <summary>Polls until a ping answers; the bound only keeps a broken client from hanging the run.</summary>
    private static async Task WaitUntilAnsweringAsync(IOnlineStore store)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await store.PingAsync();
                return;
            }
            catch (OnlineStoreUnavailableException) when (attempt < 300)
            {
                await Task.Delay(100);
            }
        }
    }
}
