using System.Globalization;

namespace Amlfs.Redis;

/// <summary>
/// Where the Redis online store lives. Built once from settings (<c>REDIS_HOST</c>, <c>REDIS_PORT</c>, optional
/// <c>REDIS_PASSWORD</c>, <c>REDIS_TLS</c>) or from a <c>redis://</c> / <c>rediss://</c> URL; <see cref="ToString"/>
/// never shows the password.
/// </summary>
public sealed record RedisOnlineStoreOptions
{
    public const int DefaultPort = 6379;

    public required string Host { get; init; }

    public int Port { get; init; } = DefaultPort;

    public string? Password { get; init; }

    public bool Tls { get; init; }

    /// <summary>How long connecting may take before the store is reported unavailable.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one command may take before the store is reported unavailable.</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// For long-running readers such as an API replica: <see cref="RedisOnlineStore.ConnectAsync"/> returns even while
    /// the server is down, every command fails at once with <see cref="OnlineStore.OnlineStoreUnavailableException"/>
    /// while no connection is up (instead of queueing until the operation timeout), and the connection is retried in
    /// the background about once a second, so that the store answers again as soon as the server does. Off (the
    /// default): connecting throws when the server cannot be reached, and commands issued during a reconnect wait for it
    /// up to <see cref="OperationTimeout"/>.
    /// </summary>
    public bool ReconnectInBackground { get; init; }

    /// <summary>host:port, as error messages name it.</summary>
    public string Endpoint => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");

    /// <summary>
    /// Options from settings by name (environment variables by default): <c>REDIS_HOST</c> (required),
    /// <c>REDIS_PORT</c>, <c>REDIS_PASSWORD</c>, <c>REDIS_TLS</c> (true/false). Throws <see cref="ArgumentException"/>
    /// naming the setting that is missing or malformed.
    /// </summary>
    public static RedisOnlineStoreOptions FromSettings(Func<string, string?>? setting = null)
    {
        setting ??= Environment.GetEnvironmentVariable;
        var host = setting("REDIS_HOST");
        if (string.IsNullOrWhiteSpace(host))
            throw new ArgumentException("REDIS_HOST is not set");
        var port = DefaultPort;
        if (setting("REDIS_PORT") is { Length: > 0 } p && !int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out port))
            throw new ArgumentException("REDIS_PORT is not a port number");
        var tls = false;
        if (setting("REDIS_TLS") is { Length: > 0 } t && !bool.TryParse(t, out tls))
            throw new ArgumentException("REDIS_TLS is neither true nor false");
        var options = new RedisOnlineStoreOptions { Host = host, Port = port, Password = NullIfEmpty(setting("REDIS_PASSWORD")), Tls = tls };
        options.Validate();
        return options;
    }

    /// <summary>Options from <c>redis://[:password@]host[:port]</c>; <c>rediss://</c> turns TLS on.</summary>
    public static RedisOnlineStoreOptions FromUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("redis" or "rediss") || uri.Host.Length == 0)
            throw new ArgumentException("not a redis:// or rediss:// URL with a host", nameof(url));
        var password = uri.UserInfo.Split(':', 2) is [_, var secret] ? Uri.UnescapeDataString(secret) : NullIfEmpty(Uri.UnescapeDataString(uri.UserInfo));
        var options = new RedisOnlineStoreOptions
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port,
            Password = NullIfEmpty(password),
            Tls = uri.Scheme == "rediss",
        };
        options.Validate();
        return options;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
            throw new ArgumentException("Host is empty");
        if (Port is < 1 or > 65535)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Port {Port} is not between 1 and 65535"));
        if (ConnectTimeout <= TimeSpan.Zero || OperationTimeout <= TimeSpan.Zero)
            throw new ArgumentException("timeouts must be positive");
    }

    /// <summary>The options with the password redacted, safe to log.</summary>
    public override string ToString() =>
        $"{(Tls ? "rediss" : "redis")}://{(Password is null ? "" : "***@")}{Endpoint}";

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
