namespace Amlfs.OnlineStore;

/// <summary>
/// Where workers put each changed entity's window state (bytes in <see cref="Engine.EntityStateFormat"/>) and stateless
/// API replicas read it to evaluate features as of the request time. Values are opaque bytes; every entry expires after
/// its time-to-live, so that entities idle past every window leave the store without a sweep. Implementations are
/// thread-safe and throw <see cref="OnlineStoreUnavailableException"/> when the backing service cannot be reached.
/// <para>
/// Fenced writes: each entry carries its <see cref="StatePosition"/>, which the store keeps with the bytes, and a write
/// replaces the stored state only when its position <see cref="StatePosition.CanReplace">can replace</see> the stored
/// one, decided atomically in the store (on the server, for a remote store). From the same log, a state whose epoch or
/// sequence is lower than the stored one is refused; equal positions are written again (a retry is idempotent); from
/// another log, only a higher epoch wins. A refusal is not an error: it means the store already holds a newer state
/// (a worker replaying behind what was written, or one the group has replaced), and
/// <see cref="WriteAsync"/> counts it. So no entity's state in the store ever goes back in time, whichever workers
/// write it and in whatever order their writes arrive.
/// </para>
/// </summary>
public interface IOnlineStore
{
    /// <summary>
    /// Writes each entry whose position can replace the stored one of its key (or that has none), to expire
    /// <paramref name="timeToLive"/> from now; refused entries leave the stored state and its time-to-live as they were.
    /// Entries are applied in order, so of two entries of one key the later one is judged against the earlier.
    /// Returns how many entries were refused as stale. One round trip where the store has them. Throws
    /// <see cref="NotSupportedException"/> when the backing server cannot run what fenced writes need.
    /// </summary>
    Task<int> WriteAsync(IReadOnlyList<OnlineStoreEntry> entries, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>
    /// A new ownership epoch for a writer that takes a log over (<see cref="StatePosition.Epoch"/>): larger than every
    /// epoch this store has returned before, to any client.
    /// </summary>
    Task<long> NextEpochAsync(CancellationToken cancellationToken = default);

    /// <summary>The bytes stored under <paramref name="key"/>, or null when absent or expired.</summary>
    Task<byte[]?> ReadAsync(OnlineStoreKey key, CancellationToken cancellationToken = default);

    /// <summary>The bytes of each key in order, null where absent or expired. One round trip where the store has them.</summary>
    Task<byte[]?[]> ReadManyAsync(IReadOnlyList<OnlineStoreKey> keys, CancellationToken cancellationToken = default);

    /// <summary>Removes a key, and the position kept with it; returns whether it was present.</summary>
    Task<bool> DeleteAsync(OnlineStoreKey key, CancellationToken cancellationToken = default);

    /// <summary>Checks that the store answers; throws <see cref="OnlineStoreUnavailableException"/> when it does not.</summary>
    Task PingAsync(CancellationToken cancellationToken = default);
}
