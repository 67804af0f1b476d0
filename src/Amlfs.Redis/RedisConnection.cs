using Amlfs.OnlineStore;
using StackExchange.Redis;

namespace Amlfs.Redis;

/// <summary>How the Redis adapters connect and report failures: one configuration from <see cref="RedisOnlineStoreOptions"/>.</summary>
internal static class RedisConnection
{
    /// <summary>
    /// Connects; throws <see cref="OnlineStoreUnavailableException"/> when the server cannot be reached, unless
    /// <see cref="RedisOnlineStoreOptions.ReconnectInBackground"/> is on, which returns a connection that connects later.
    /// </summary>
    public static async Task<ConnectionMultiplexer> ConnectAsync(RedisOnlineStoreOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var configuration = new ConfigurationOptions
        {
            EndPoints = { { options.Host, options.Port } },
            Password = options.Password,
            Ssl = options.Tls,
            AbortOnConnectFail = !options.ReconnectInBackground,
            ConnectRetry = 1,
            ConnectTimeout = (int)options.ConnectTimeout.TotalMilliseconds,
            SyncTimeout = (int)options.OperationTimeout.TotalMilliseconds,
            AsyncTimeout = (int)options.OperationTimeout.TotalMilliseconds,
            ClientName = "amlfs",
        };
        if (options.ReconnectInBackground)
        {
            // A reader that answers 503 while the server is down wants the failure now, not after the timeout; the
            // heartbeat (every second) retries the connection whenever a second has passed since the last attempt.
            configuration.BacklogPolicy = BacklogPolicy.FailFast;
            configuration.ReconnectRetryPolicy = new LinearRetry(1000);
        }

        try
        {
            return await ConnectionMultiplexer.ConnectAsync(configuration).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException or TimeoutException)
        {
            throw new OnlineStoreUnavailableException(options.Endpoint, e.Message, e);
        }
    }

    /// <summary>Awaits <paramref name="task"/>, turning a connection failure or timeout into <see cref="OnlineStoreUnavailableException"/>.</summary>
    public static async Task Guard(Task task, string endpoint)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException or ObjectDisposedException)
        {
            throw new OnlineStoreUnavailableException(endpoint, e.Message, e);
        }
    }

    /// <summary>Awaits <paramref name="task"/>, turning a connection failure or timeout into <see cref="OnlineStoreUnavailableException"/>.</summary>
    public static async Task<T> Guard<T>(Task<T> task, string endpoint)
    {
        try
        {
            return await task.ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException or ObjectDisposedException)
        {
            throw new OnlineStoreUnavailableException(endpoint, e.Message, e);
        }
    }
}
