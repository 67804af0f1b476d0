using Amlfs.OnlineStore;
using StackExchange.Redis;

namespace Amlfs.Redis;

/// <summary>
/// An <see cref="IOnlineStore"/> on Redis (or any RESP server: Garnet, Valkey). Each entity state is one string,
/// written with <c>SET key value PX ttl</c> (<c>EX</c> for whole seconds); a batch of writes is pipelined in one round trip and many reads are one
/// <c>MGET</c>. Keys are <see cref="OnlineStoreKey.ToString"/> in UTF-8. Connection failures and timeouts surface as
/// <see cref="OnlineStoreUnavailableException"/> naming the endpoint.
/// </summary>
public sealed class RedisOnlineStore : IOnlineStore, IAsyncDisposable
{
    private readonly ConnectionMultiplexer _connection;
    private readonly IDatabase _database;
    private readonly string _endpoint;

    private RedisOnlineStore(ConnectionMultiplexer connection, string endpoint)
    {
        _connection = connection;
        _database = connection.GetDatabase();
        _endpoint = endpoint;
    }

    /// <summary>
    /// Connects; throws <see cref="OnlineStoreUnavailableException"/> when the server cannot be reached, unless
    /// <see cref="RedisOnlineStoreOptions.ReconnectInBackground"/> is on, which returns a store that connects later.
    /// </summary>
    public static async Task<RedisOnlineStore> ConnectAsync(RedisOnlineStoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var connection = await RedisConnection.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        return new RedisOnlineStore(connection, options.Endpoint);
    }

    /// <inheritdoc/>
    public async Task WriteAsync(IReadOnlyList<OnlineStoreEntry> entries, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        if (entries.Count == 0)
            return;
        // Whole milliseconds, at least one: the client sends SET ... PX ms (EX s when the time is whole seconds), exact either way.
        var expiry = TimeSpan.FromMilliseconds(Math.Max(1, (long)timeToLive.TotalMilliseconds));
        var batch = _database.CreateBatch();
        var writes = new Task[entries.Count];
        for (var i = 0; i < writes.Length; i++)
            writes[i] = batch.StringSetAsync(entries[i].Key.ToString(), entries[i].Value, expiry, When.Always);
        batch.Execute();
        await Guard(Task.WhenAll(writes)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<byte[]?> ReadAsync(OnlineStoreKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return (byte[]?)await Guard(_database.StringGetAsync(key.ToString())).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<byte[]?[]> ReadManyAsync(IReadOnlyList<OnlineStoreKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        cancellationToken.ThrowIfCancellationRequested();
        if (keys.Count == 0)
            return [];
        var redisKeys = new RedisKey[keys.Count];
        for (var i = 0; i < redisKeys.Length; i++)
            redisKeys[i] = keys[i].ToString();
        var values = await Guard(_database.StringGetAsync(redisKeys)).ConfigureAwait(false);
        return Array.ConvertAll(values, v => (byte[]?)v);
    }

    /// <inheritdoc/>
    public Task<bool> DeleteAsync(OnlineStoreKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Guard(_database.KeyDeleteAsync(key.ToString()));
    }

    /// <inheritdoc/>
    public Task PingAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Guard(_database.PingAsync());
    }

    public ValueTask DisposeAsync() => new(_connection.CloseAsync());

    private Task Guard(Task task) => RedisConnection.Guard(task, _endpoint);

    private Task<T> Guard<T>(Task<T> task) => RedisConnection.Guard(task, _endpoint);
}
