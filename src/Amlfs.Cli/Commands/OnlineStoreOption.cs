using Amlfs.Redis;

namespace Amlfs.Cli.Commands;

/// <summary>Where the Redis online store is: a <c>--online-store</c> URL, or the REDIS_* environment variables.</summary>
internal static class OnlineStoreOption
{
    /// <summary>
    /// The Redis options of <paramref name="url"/> (<c>redis://</c> or <c>rediss://</c>), or of REDIS_HOST, REDIS_PORT,
    /// REDIS_PASSWORD and REDIS_TLS when no URL is given. Adds a problem naming the value to <paramref name="errors"/>
    /// and returns null when neither gives a usable store.
    /// </summary>
    public static RedisOnlineStoreOptions? Resolve(string? url, IReadOnlyDictionary<string, string> variables, List<string> errors)
    {
        try
        {
            if (url is not null)
                return RedisOnlineStoreOptions.FromUrl(url);
            if (variables.ContainsKey("REDIS_HOST"))
                return RedisOnlineStoreOptions.FromSettings(variables.GetValueOrDefault);
            errors.Add("no online store: give --online-store redis://HOST:PORT or set REDIS_HOST");
        }
        catch (ArgumentException e)
        {
            errors.Add(url is null ? $"online store: {e.Message}" : $"online store '{url}': {e.Message}");
        }

        return null;
    }
}
