namespace Amlfs.OnlineStore;

/// <summary>
/// Where workers put each changed entity's window state (bytes in <see cref="Engine.EntityStateFormat"/>) and stateless
/// API replicas read it to evaluate features as of the request time. Values are opaque bytes; every entry expires after
/// its time-to-live, so that entities idle past every window leave the store without a sweep. Implementations are
/// thread-safe and throw <see cref="OnlineStoreUnavailableException"/> when the backing service cannot be reached.
/// </summary>
public interface IOnlineStore
{
    /// <summary>Writes (or overwrites) every entry, each to expire <paramref name="timeToLive"/> from now. One round trip where the store has them.</summary>
    Task WriteAsync(IReadOnlyList<OnlineStoreEntry> entries, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>The bytes stored under <paramref name="key"/>, or null when absent or expired.</summary>
    Task<byte[]?> ReadAsync(OnlineStoreKey key, CancellationToken cancellationToken = default);

    /// <summary>The bytes of each key in order, null where absent or expired. One round trip where the store has them.</summary>
    Task<byte[]?[]> ReadManyAsync(IReadOnlyList<OnlineStoreKey> keys, CancellationToken cancellationToken = default);

    /// <summary>Removes a key; returns whether it was present.</summary>
    Task<bool> DeleteAsync(OnlineStoreKey key, CancellationToken cancellationToken = default);

    /// <summary>Checks that the store answers; throws <see cref="OnlineStoreUnavailableException"/> when it does not.</summary>
    Task PingAsync(CancellationToken cancellationToken = default);
}
