using System.Collections.Concurrent;

namespace Amlfs.OnlineStore;

/// <summary>
/// An <see cref="IOnlineStore"/> in process memory, for the embedded mode and tests. Expiry follows the injected
/// <see cref="TimeProvider"/>: an entry is gone from the instant its time-to-live has elapsed (reads never return it)
/// and is removed from memory when next touched. Writes compare positions and replace entries under one lock, so that
/// two writers never both pass the comparison against the same stored state; reads take no lock.
/// </summary>
public sealed class InMemoryOnlineStore : IOnlineStore
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _writeLock = new();
    private readonly TimeProvider _clock;
    private long _epoch;

    public InMemoryOnlineStore(TimeProvider? clock = null) => _clock = clock ?? TimeProvider.System;

    /// <summary>Entries held, expired ones not yet removed included.</summary>
    public int Count => _entries.Count;

    /// <inheritdoc/>
    public Task<int> WriteAsync(IReadOnlyList<OnlineStoreEntry> entries, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        var now = _clock.GetUtcNow();
        var expires = now + timeToLive;
        var stale = 0;
        lock (_writeLock)
        {
            foreach (var entry in entries)
            {
                var key = entry.Key.ToString();
                if (_entries.TryGetValue(key, out var stored) && stored.ExpiresAt > now && !entry.Position.CanReplace(stored.Position))
                    stale++;
                else
                    _entries[key] = new Entry(entry.Value.ToArray(), entry.Position, expires);
            }
        }

        return Task.FromResult(stale);
    }

    /// <inheritdoc/>
    public Task<long> NextEpochAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Interlocked.Increment(ref _epoch));
    }

    /// <inheritdoc/>
    public Task<byte[]?> ReadAsync(OnlineStoreKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Find(key.ToString(), _clock.GetUtcNow()));
    }

    /// <inheritdoc/>
    public Task<byte[]?[]> ReadManyAsync(IReadOnlyList<OnlineStoreKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        cancellationToken.ThrowIfCancellationRequested();
        var now = _clock.GetUtcNow();
        var values = new byte[]?[keys.Count];
        for (var i = 0; i < values.Length; i++)
            values[i] = Find(keys[i].ToString(), now);
        return Task.FromResult(values);
    }

    /// <inheritdoc/>
    public Task<bool> DeleteAsync(OnlineStoreKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = _clock.GetUtcNow();
        return Task.FromResult(_entries.TryRemove(key.ToString(), out var entry) && entry.ExpiresAt > now);
    }

    /// <inheritdoc/>
    public Task PingAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.CompletedTask;
    }

    /// <summary>A copy of the live value, so that callers never share the stored array.</summary>
    private byte[]? Find(string key, DateTimeOffset now)
    {
        if (!_entries.TryGetValue(key, out var entry))
            return null;
        if (entry.ExpiresAt > now)
            return (byte[])entry.Value.Clone();
        // Remove only the expired entry seen, not one a concurrent write has just put in its place.
        _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        return null;
    }

    private sealed record Entry(byte[] Value, StatePosition Position, DateTimeOffset ExpiresAt);
}
