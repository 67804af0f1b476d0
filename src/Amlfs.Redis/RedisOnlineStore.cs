using Amlfs.OnlineStore;
using StackExchange.Redis;

namespace Amlfs.Redis;

/// <summary>
/// An <see cref="IOnlineStore"/> on Redis (or any RESP server with Lua scripting: Valkey, Garnet started with
/// <c>--lua --lua-transaction-mode</c>). Each entity state is one string holding its position and its bytes
/// (<see cref="RedisStateValue"/>), written by a script that compares the stored position with the new one and sets
/// value, position and time-to-live only when the new one can replace it, atomically on the server (<c>EVALSHA</c>,
/// the script loaded once per connection; up to <see cref="RedisStateValue.EntriesPerCall"/> entries per call, all in
/// one slot of a single server, as <c>MGET</c> needs too); a batch of writes is pipelined in one round trip, and many
/// reads are one <c>MGET</c> whose values lose their header here. Keys are <see cref="OnlineStoreKey.ToString"/> in UTF-8; the ownership epoch counter is
/// <c>amlfs:epoch</c>. Connection failures and timeouts surface as <see cref="OnlineStoreUnavailableException"/>
/// naming the endpoint, a server that does not run scripts as <see cref="NotSupportedException"/> naming it too.
/// </summary>
public sealed class RedisOnlineStore : IOnlineStore, IAsyncDisposable
{
    /// <summary>The key of the ownership epoch counter (<see cref="NextEpochAsync"/>).</summary>
    public const string EpochKey = OnlineStoreKey.Prefix + "epoch";

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
    public async Task<int> WriteAsync(IReadOnlyList<OnlineStoreEntry> entries, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        if (entries.Count == 0)
            return 0;
        // Whole milliseconds, at least one: the script sets the value with PX.
        RedisValue expiry = Math.Max(1, (long)timeToLive.TotalMilliseconds);
        var batch = _database.CreateBatch();
        var calls = new Task<RedisResult>[(entries.Count + RedisStateValue.EntriesPerCall - 1) / RedisStateValue.EntriesPerCall];
        for (var call = 0; call < calls.Length; call++)
        {
            var start = call * RedisStateValue.EntriesPerCall;
            var count = Math.Min(RedisStateValue.EntriesPerCall, entries.Count - start);
            var keys = new RedisKey[count];
            var values = new RedisValue[count + 1];
            for (var i = 0; i < count; i++)
            {
                var entry = entries[start + i];
                keys[i] = entry.Key.ToString();
                values[i] = RedisStateValue.Encode(entry.Position, entry.Value.Span);
            }

            values[count] = expiry;
            calls[call] = batch.ScriptEvaluateAsync(RedisStateValue.WriteScript, keys, values);
        }

        batch.Execute();
        await GuardScript(Task.WhenAll(calls)).ConfigureAwait(false);
        var stale = 0;
        foreach (var call in calls)
            stale += (int)call.Result;
        return stale;
    }

    /// <inheritdoc/>
    public async Task<long> NextEpochAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var epoch = await GuardScript(_database.ScriptEvaluateAsync(RedisStateValue.NextEpochScript, [EpochKey])).ConfigureAwait(false);
        return (long)epoch;
    }

    /// <inheritdoc/>
    public async Task<byte[]?> ReadAsync(OnlineStoreKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return RedisStateValue.State(await Guard(_database.StringGetAsync(key.ToString())).ConfigureAwait(false));
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
        return Array.ConvertAll(values, RedisStateValue.State);
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

    /// <summary>As <see cref="Guard{T}"/>, also turning a server that refuses scripts into <see cref="NotSupportedException"/>.</summary>
    private async Task<T> GuardScript<T>(Task<T> task)
    {
        try
        {
            return await Guard(task).ConfigureAwait(false);
        }
        catch (RedisServerException e) when (ScriptingUnavailable(e.Message))
        {
            throw new NotSupportedException(
                $"the online store at {_endpoint} does not run Lua scripts ({e.Message}), which fenced writes of entity states need: start Garnet with --lua, or allow EVAL and EVALSHA for this Redis user", e);
        }
    }

    /// <summary>
    /// Garnet without <c>--lua</c> ("... Lua scripting support disabled"), a server without the commands, or a Redis
    /// user denied them (ACL); an error raised while a script runs is none of these and stays as the server said it.
    /// </summary>
    private static bool ScriptingUnavailable(string message) =>
        message.Contains("scripting", StringComparison.OrdinalIgnoreCase) || message.Contains("unknown command", StringComparison.OrdinalIgnoreCase)
        || message.StartsWith("NOPERM", StringComparison.Ordinal);
}
