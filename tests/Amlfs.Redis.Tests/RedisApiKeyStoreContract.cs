using System.Text;
using Amlfs.Security;
using Amlfs.Testing.Contracts;
using StackExchange.Redis;

namespace Amlfs.Redis.Tests;

/// <summary>
/// The key store contract for <see cref="RedisApiKeyStore"/> against a server that <see cref="Options"/> names, each
/// test under keys of its own, and what only a shared store can get wrong.
/// </summary>
public abstract class RedisApiKeyStoreContract : ApiKeyStoreContract, IAsyncLifetime
{
    private readonly List<RedisApiKeyStore> _stores = [];
    private ConnectionMultiplexer? _raw;

    protected abstract RedisOnlineStoreOptions Options { get; }

    /// <summary>The string that holds this test's keys; a random name, so that tests sharing a server never meet.</summary>
    protected string Key { get; } = "amlfs-test:keys:" + Guid.NewGuid().ToString("N");

    public async Task InitializeAsync() => _raw = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions
    {
        EndPoints = { { Options.Host, Options.Port } },
        Password = Options.Password,
        Ssl = Options.Tls,
    });

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
            await store.DisposeAsync();
        if (_raw is not null)
        {
            await _raw.GetDatabase().KeyDeleteAsync([Key, Key + ":version"]);
            await _raw.DisposeAsync();
        }
    }

    protected override IApiKeyStore OpenStore()
    {
        var store = RedisApiKeyStore.ConnectAsync(Options, key: Key).GetAwaiter().GetResult();
        lock (_stores)
            _stores.Add(store);
        return store;
    }

    protected override string StoredText() => Encoding.UTF8.GetString((byte[])_raw!.GetDatabase().StringGet(Key)!);

    [ContractFact]
    public void A_value_that_is_not_aKey_list_is_refused_naming_where_it_is()
    {
        var store = OpenStore();
        _raw!.GetDatabase().StringSet(Key, "{ not json");

        var refused = Assert.Throws<InvalidDataException>(() => store.List());

        Assert.Contains(Key, refused.Message, StringComparison.Ordinal);
        Assert.Contains("not a key file", refused.Message, StringComparison.Ordinal);
    }
}
