using System.Globalization;
using Amlfs.OnlineStore;
using Amlfs.Security;
using StackExchange.Redis;

namespace Amlfs.Redis;

/// <summary>
/// API keys in the Redis that API replicas and workers share, so that a key created or revoked once
/// (<c>amlfs keys --online-store</c>) takes effect on every replica within a second. The records are the key file's JSON
/// (<see cref="ApiKeyList"/>), kept whole in one string, <c>amlfs:keys</c>, beside a counter, <c>amlfs:keys:version</c>,
/// that every change increments: a reader polls the counter (<see cref="Stamp"/>) and reads the list only when it moved.
/// <para>
/// A change is optimistic: read the list and the counter, change the list, and write both in a transaction that holds
/// only while the counter is still what was read (<c>WATCH</c>); when another process changed the keys meanwhile, read
/// again and retry. So concurrent changes from any number of processes all land, each on the list the one before left.
/// </para>
/// </summary>
public sealed class RedisApiKeyStore : ChangeableApiKeyStore, IAsyncDisposable
{
    /// <summary>The string that holds the records, unless a test names another.</summary>
    public const string DefaultKey = OnlineStoreKey.Prefix + "keys";

    private const int MaxAttempts = 100;

    private readonly ConnectionMultiplexer _connection;
    private readonly IDatabase _database;
    private readonly string _endpoint;
    private readonly RedisKey _list;
    private readonly RedisKey _version;

    private RedisApiKeyStore(ConnectionMultiplexer connection, string endpoint, string key, TimeProvider? clock)
        : base(clock)
    {
        _connection = connection;
        _database = connection.GetDatabase();
        _endpoint = endpoint;
        _list = key;
        _version = key + ":version";
    }

    public override string Location => $"redis {_endpoint} {(string?)_list}";

    /// <summary>Connects; throws <see cref="OnlineStoreUnavailableException"/> when the server cannot be reached.</summary>
    public static async Task<RedisApiKeyStore> ConnectAsync(
        RedisOnlineStoreOptions options, TimeProvider? clock = null, string key = DefaultKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var connection = await RedisConnection.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        return new RedisApiKeyStore(connection, options.Endpoint, key, clock);
    }

    /// <inheritdoc/>
    public override IReadOnlyList<ApiKeyRecord> List() => Read().Keys;

    /// <summary>The version counter: one small read per poll.</summary>
    public override string Stamp() => Guard(() => (string?)_database.StringGet(_version) ?? "none");

    public ValueTask DisposeAsync() => new(_connection.CloseAsync());

    private (List<ApiKeyRecord> Keys, RedisValue Version) Read()
    {
        var values = Guard(() => _database.StringGet([_list, _version]));
        return (values[0].IsNull ? [] : ApiKeyList.Parse((byte[])values[0]!, Location), values[1]);
    }

    protected override void Change(Func<List<ApiKeyRecord>, List<ApiKeyRecord>> change)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var (keys, version) = Read();
            var changed = ApiKeyList.Serialize(change(keys));
            var transaction = _database.CreateTransaction();
            transaction.AddCondition(version.IsNull ? Condition.KeyNotExists(_version) : Condition.StringEqual(_version, version));
            _ = transaction.StringSetAsync(_list, changed);
            _ = transaction.StringIncrementAsync(_version);
            if (Guard(() => transaction.Execute()))
                return;
        }

        throw new IOException(string.Create(CultureInfo.InvariantCulture,
            $"the keys at {Location} changed under each of {MaxAttempts} attempts to change them; try again"));
    }

    /// <summary>Runs a Redis call, turning a connection failure or timeout into the <see cref="IOException"/> key stores throw.</summary>
    private T Guard<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException or ObjectDisposedException)
        {
            throw new IOException($"the keys at {Location} cannot be reached: {e.Message}", e);
        }
    }
}
