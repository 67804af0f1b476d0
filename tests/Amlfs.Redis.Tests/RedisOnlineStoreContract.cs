using Amlfs.OnlineStore;
using Amlfs.Testing.Contracts;
using StackExchange.Redis;

namespace Amlfs.Redis.Tests;

/// <summary>
/// The online store contract for <see cref="RedisOnlineStore"/> against a server that <see cref="Options"/> names, plus
/// what only a Redis server can get wrong. Expiry is real time on the server, so a test waits for the key to go by
/// polling, never by one blind sleep.
/// </summary>
public abstract class RedisOnlineStoreContract : OnlineStoreContract, IAsyncLifetime
{
    private readonly List<RedisOnlineStore> _others = [];
    private RedisOnlineStore? _store;

    protected abstract RedisOnlineStoreOptions Options { get; }

    protected override IOnlineStore Store => _store ?? throw new InvalidOperationException("not connected");

    protected override TimeSpan ShortTimeToLive => TimeSpan.FromMilliseconds(100);

    public async Task InitializeAsync() => _store = await RedisOnlineStore.ConnectAsync(Options);

    public async Task DisposeAsync()
    {
        foreach (var other in _others)
            await other.DisposeAsync();
        if (_store is not null)
            await _store.DisposeAsync();
    }

    protected override async Task LetExpireAsync(OnlineStoreKey key, TimeSpan timeToLive)
    {
        // Polls until the key is gone; the bound only keeps a broken server from hanging the run.
        for (var attempt = 0; attempt < 500 && await Store.ReadAsync(key) is not null; attempt++)
            await Task.Delay(timeToLive / 4);
        await Task.Delay(timeToLive); // also past the deadline of a key the test never wrote
    }

    protected override async Task<IOnlineStore> ConnectAnotherAsync()
    {
        var other = await RedisOnlineStore.ConnectAsync(Options);
        _others.Add(other);
        return other;
    }

    [ContractFact]
    public async Task A_state_written_before_positions_were_kept_reads_whole_and_any_position_replaces_it()
    {
        var key = new OnlineStoreKey(Guid.NewGuid().ToString("N")[..16], "customer", "C1");
        byte[] legacy = [.. "AMLFENT1"u8, 1, 2, 3];
        await using (var raw = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions { EndPoints = { { Options.Host, Options.Port } }, Password = Options.Password }))
            await raw.GetDatabase().StringSetAsync(key.ToString(), legacy, TimeSpan.FromMinutes(5));

        Assert.Equal(legacy, await Store.ReadAsync(key));
        Assert.Equal(0, await Store.WriteAsync([new OnlineStoreEntry(key, new byte[] { 9 }, new StatePosition(1, 1, 1))], TimeSpan.FromMinutes(5)));
        Assert.Equal([9], await Store.ReadAsync(key));
    }
}
