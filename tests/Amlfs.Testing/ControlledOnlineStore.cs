using Amlfs.OnlineStore;

namespace Amlfs.Testing;

/// <summary>
/// An <see cref="IOnlineStore"/> in front of another, whose writes of states a test can fail as if the server were
/// down (<see cref="Down"/>) or hold until released as if the server hung (<see cref="Hold"/>), and which counts the
/// round trips of reads (<see cref="Reads"/>); everything else, ownership epochs included, passes through.
/// </summary>
public sealed class ControlledOnlineStore(IOnlineStore inner) : IOnlineStore
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _open = OpenGate();
    private int _held;
    private int _reads;

    /// <summary>While true, every write of states throws <see cref="OnlineStoreUnavailableException"/>.</summary>
    public bool Down { get; set; }

    /// <summary>Round trips of reads so far: each <c>ReadAsync</c> or <c>ReadManyAsync</c> counts one.</summary>
    public int Reads => Volatile.Read(ref _reads);

    /// <summary>Writes waiting at the gate <see cref="Hold"/> closed.</summary>
    public int HeldWrites => Volatile.Read(ref _held);

    /// <summary>Makes every write from now on wait until <see cref="Release"/>.</summary>
    public void Hold()
    {
        lock (_lock)
        {
            if (_open.Task.IsCompleted)
                _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Lets the held writes, and every write after them, through.</summary>
    public void Release()
    {
        lock (_lock)
            _open.TrySetResult();
    }

    public async Task<int> WriteAsync(IReadOnlyList<OnlineStoreEntry> entries, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        Task gate;
        lock (_lock)
            gate = _open.Task;
        if (!gate.IsCompleted)
        {
            Interlocked.Increment(ref _held);
            try
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _held);
            }
        }

        if (Down)
            throw new OnlineStoreUnavailableException("controlled", "the test took the store down", null);
        return await inner.WriteAsync(entries, timeToLive, cancellationToken).ConfigureAwait(false);
    }

    public Task<long> NextEpochAsync(CancellationToken cancellationToken = default) => inner.NextEpochAsync(cancellationToken);

    public Task<byte[]?> ReadAsync(OnlineStoreKey key, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        return inner.ReadAsync(key, cancellationToken);
    }

    public Task<byte[]?[]> ReadManyAsync(IReadOnlyList<OnlineStoreKey> keys, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        return inner.ReadManyAsync(keys, cancellationToken);
    }

    public Task<bool> DeleteAsync(OnlineStoreKey key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);

    public Task PingAsync(CancellationToken cancellationToken = default) => inner.PingAsync(cancellationToken);

    private static TaskCompletionSource OpenGate()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }
}
