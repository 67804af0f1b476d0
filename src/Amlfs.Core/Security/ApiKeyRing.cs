namespace Amlfs.Security;

/// <summary>
/// The keys a server checks requests against, read from a key store (a key file, or the store replicas share) and read
/// again whenever it changes (its <see cref="IApiKeyStore.Stamp"/>, looked at every <see cref="PollInterval"/>), so that
/// a key created or revoked by <c>amlfs keys</c> while the server runs takes effect within a second. A store that cannot
/// be read keeps the keys read last (and <see cref="Problem"/> says why); a missing file is no keys.
/// </summary>
/// <remarks>
/// A key is checked by its SHA-256, which costs several microseconds a request through the platform's cryptography.
/// A key once found to work is remembered, in this process's memory only, next to the keys it was checked against
/// (up to <see cref="RememberedKeys"/> of them), and forgotten with them as soon as the keys are read again: a revoked
/// key stops working exactly as before. A key that does not work is hashed every time it is presented.
/// </remarks>
public sealed class ApiKeyRing : IDisposable
{
    /// <summary>How often the file is looked at.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How many working keys are remembered as presented, so that their hash is not computed again.</summary>
    public const int RememberedKeys = 4_096;

    private readonly IApiKeyStore _store;
    private readonly Timer _timer;
    private readonly Lock _reloading = new();
    private string? _seen;
    private bool _disposed;
    private Keys _keys = new([]);

    /// <summary>Checks against the keys of a key file.</summary>
    public ApiKeyRing(string file)
        : this(new ApiKeyStore(file))
    {
    }

    /// <summary>
    /// Reads the keys of <paramref name="store"/> now, on the calling thread, and again whenever they change. A store
    /// over the network is called synchronously, so a server creates its ring at start, never on a request's thread.
    /// </summary>
    public ApiKeyRing(IApiKeyStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        Reload();
        // One look at a time: the timer is armed again once a look is over, so a slow store (one that times out) never
        // piles up waiting looks on the thread pool.
        _timer = new Timer(_ => Poll(), null, PollInterval, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Where the keys are: a file, or the shared store.</summary>
    public string Location => _store.Location;

    /// <summary>Keys that work now.</summary>
    public int ActiveCount => Volatile.Read(ref _keys).ById.Count;

    /// <summary>Why the store could not be read last time it was looked at, or null.</summary>
    public string? Problem { get; private set; }

    /// <summary>Raised after the keys were read again (a key created or revoked).</summary>
    public event Action? Changed;

    /// <summary>The record of a key that works and is <paramref name="presented"/>, or null.</summary>
    public ApiKeyRecord? Find(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
            return null;
        var keys = Volatile.Read(ref _keys);
        if (keys.Verified.TryGetValue(presented, out var known))
            return known;
        if (ApiKeyStore.IdOf(presented) is not { } id || !keys.ById.TryGetValue(id, out var record) || !ApiKeyStore.Matches(record, presented))
            return null;
        if (keys.Verified.Count < RememberedKeys)
            keys.Verified.TryAdd(presented, record);
        return record;
    }

    /// <summary>The record of the key that works with the id <paramref name="id"/>, or null (a session's key revoked since).</summary>
    public ApiKeyRecord? FindById(string id) => Volatile.Read(ref _keys).ById.GetValueOrDefault(id);

    /// <summary>Reads the keys again if the store changed since they were last read.</summary>
    public void Reload()
    {
        lock (_reloading)
        {
            try
            {
                var seen = _store.Stamp();
                if (seen == _seen)
                {
                    Problem = null;
                    return;
                }

                var keys = _store.List();
                Volatile.Write(ref _keys, new Keys(keys.Where(k => k.IsActive).ToDictionary(k => k.Id, StringComparer.Ordinal)));
                Problem = null;
                _seen = seen;
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                Problem = e.Message;
                return;
            }
        }

        Changed?.Invoke();
    }

    public void Dispose()
    {
        lock (_reloading)
        {
            _disposed = true;
            _timer.Dispose();
        }
    }

    private void Poll()
    {
        Reload();
        lock (_reloading)
        {
            if (!_disposed)
                _timer.Change(PollInterval, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The keys that work, by public id, and the ones presented and found to work among them.</summary>
    private sealed record Keys(Dictionary<string, ApiKeyRecord> ById)
    {
        public System.Collections.Concurrent.ConcurrentDictionary<string, ApiKeyRecord> Verified { get; } = new(StringComparer.Ordinal);
    }
}
