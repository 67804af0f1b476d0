using Amlfs.OnlineStore;

using Amlfs.Testing.Contracts;

namespace Amlfs.Redis.Tests;

/// <summary>
/// The online store contract for <see cref="RedisOnlineStore"/> against a server that <see cref="Options"/> names.
/// Expiry is real time on the server, so a test waits for the key to go by polling, never by one blind sleep.
/// </summary>
public abstract class RedisOnlineStoreContract : OnlineStoreContract, IAsyncLifetime
{
    private RedisOnlineStore? _store;

    protected abstract RedisOnlineStoreOptions Options { get; }

    protected override IOnlineStore Store => _store ?? throw new InvalidOperationException("not connected");

    protected override TimeSpan ShortTimeToLive => TimeSpan.FromMilliseconds(100);

    public async Task InitializeAsync() => _store = await RedisOnlineStore.ConnectAsync(Options);

    public async Task DisposeAsync()
    {
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
}
