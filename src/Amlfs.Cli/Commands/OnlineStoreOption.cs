using System.CommandLine;
using Amlfs.Redis;

namespace Amlfs.Cli.Commands;

/// <summary>The <c>--online-store</c> option: a Redis URL, or (without a value, or <c>env</c>) the REDIS_* variables.</summary>
internal static class OnlineStoreOption
{
    public static Option<string?> Create(string description) => new("--online-store")
    {
        Description = description + ": redis://[:PASSWORD@]HOST[:PORT] or rediss://... (TLS); without a value, or 'env', from REDIS_HOST, REDIS_PORT, REDIS_PASSWORD, REDIS_TLS",
        HelpName = "URL",
        Arity = ArgumentArity.ZeroOrOne,
    };

    /// <summary>
    /// The Redis options of <paramref name="url"/>, or of the REDIS_* variables when it is null or <c>env</c>; null and
    /// an error naming the value (its password hidden) when they are not usable.
    /// </summary>
    public static RedisOnlineStoreOptions? Parse(string? url, IReadOnlyDictionary<string, string> variables, out string? error)
    {
        error = null;
        try
        {
            return url is null || url == "env"
                ? RedisOnlineStoreOptions.FromSettings(name => variables.GetValueOrDefault(name))
                : RedisOnlineStoreOptions.FromUrl(url);
        }
        catch (ArgumentException e)
        {
            error = url is null || url == "env"
                ? $"--online-store without a URL reads REDIS_HOST, REDIS_PORT, REDIS_PASSWORD and REDIS_TLS: {e.Message}"
                : $"--online-store '{RedactPassword(url)}' is not a redis://[:PASSWORD@]HOST[:PORT] or rediss:// URL ({e.Message})";
            return null;
        }
    }

    /// <summary>The URL as an error may show it: any password replaced by <c>***</c>.</summary>
    private static string RedactPassword(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var at = url.LastIndexOf('@');
        return scheme >= 0 && at > scheme ? string.Concat(url.AsSpan(0, scheme + 3), "***", url.AsSpan(at)) : url;
    }
}
