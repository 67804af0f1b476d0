using Amlfs.OnlineStore;
using StackExchange.Redis;

namespace Amlfs.Redis;

/// <summary>How the Redis adapters connect: one configuration from <see cref="RedisOnlineStoreOptions"/>.</summary>
internal static class RedisConnection
{
    /// <summary>Connects; throws <see cref="OnlineStoreUnavailableException"/> when the server cannot be reached.</summary>
    public static async Task<ConnectionMultiplexer> ConnectAsync(RedisOnlineStoreOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var configuration = new ConfigurationOptions
        {
            EndPoints = { { options.Host, options.Port } },
            Password = options.Password,
            Ssl = options.Tls,
            AbortOnConnectFail = true,
            ConnectRetry = 1,
            ConnectTimeout = (int)options.ConnectTimeout.TotalMilliseconds,
            SyncTimeout = (int)options.OperationTimeout.TotalMilliseconds,
            AsyncTimeout = (int)options.OperationTimeout.TotalMilliseconds,
            ClientName = "amlfs",
        };
        try
        {
            return await ConnectionMultiplexer.ConnectAsync(configuration).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException or TimeoutException)
        {
            throw new OnlineStoreUnavailableException(options.Endpoint, e.Message, e);
        }
    }
}
