namespace Amlfs.Security;

/// <summary>
/// The keys a server checks requests against, read from a key file and read again whenever the file changes (its time
/// or length, looked at every <see cref="PollInterval"/>), so that a key created or revoked by <c>amlfs keys</c> while
/// the server runs takes effect within a second. A file that cannot be read keeps the keys read last (and
/// <see cref="Problem"/> says why); a missing file is no keys.
/// </summary>
public sealed class ApiKeyRing : IDisposable
{
    /// <summary>How often the file is looked at.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly string _file;
    private readonly Timer _timer;
    private readonly Lock _reloading = new();
    private (DateTime Time, long Length) _seen = (DateTime.MinValue, -1);
    private Dictionary<string, ApiKeyRecord> _byId = [];

    public ApiKeyRing(string file)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        _file = Path.GetFullPath(file);
        Reload();
        _timer = new Timer(_ => Reload(), null, PollInterval, PollInterval);
    }

    /// <summary>The key file.</summary>
    public string File => _file;

    /// <summary>Keys that work now.</summary>
    public int ActiveCount => Volatile.Read(ref _byId).Count;

    /// <summary>Why the file could not be read last time it changed, or null.</summary>
    public string? Problem { get; private set; }

    /// <summary>Raised after the keys were read again (a key created or revoked).</summary>
    public event Action? Changed;

    /// <summary>The record of a key that works and is <paramref name="presented"/>, or null.</summary>
    public ApiKeyRecord? Find(string? presented)
    {
        if (string.IsNullOrEmpty(presented) || ApiKeyStore.IdOf(presented) is not { } id)
            return null;
        return Volatile.Read(ref _byId).TryGetValue(id, out var record) && ApiKeyStore.Matches(record, presented) ? record : null;
    }

    /// <summary>The record of the key that works with the id <paramref name="id"/>, or null (a session's key revoked since).</summary>
    public ApiKeyRecord? FindById(string id) => Volatile.Read(ref _byId).GetValueOrDefault(id);

    /// <summary>Reads the file again if it changed since it was last read.</summary>
    public void Reload()
    {
        lock (_reloading)
        {
            var info = new FileInfo(_file);
            var seen = info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1L);
            if (seen == _seen)
                return;
            try
            {
                var keys = ApiKeyStore.Read(_file);
                Volatile.Write(ref _byId, keys.Where(k => k.IsActive).ToDictionary(k => k.Id, StringComparer.Ordinal));
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

    public void Dispose() => _timer.Dispose();
}
