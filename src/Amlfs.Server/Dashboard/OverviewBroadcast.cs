namespace Amlfs.Server.Dashboard;

/// <summary>
/// The newest overview update as one server-sent event, encoded once and handed to every connected client: the sampler
/// publishes it each second, each client's stream waits for the next one. Nothing is computed per client.
/// </summary>
internal sealed class OverviewBroadcast
{
    private readonly Lock _gate = new();
    private (long Sequence, byte[] Event) _latest = (0, []);
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _clients;

    /// <summary>Clients connected now.</summary>
    public int Clients => Volatile.Read(ref _clients);

    /// <summary>The newest event and its sequence (0 and empty before the first).</summary>
    public (long Sequence, byte[] Event) Latest
    {
        get
        {
            lock (_gate)
                return _latest;
        }
    }

    /// <summary>Publishes <paramref name="serverSentEvent"/>, a complete event (<c>id:</c>, <c>data:</c> and the blank line).</summary>
    public void Publish(byte[] serverSentEvent)
    {
        TaskCompletionSource released;
        lock (_gate)
        {
            _latest = (_latest.Sequence + 1, serverSentEvent);
            released = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        released.TrySetResult();
    }

    /// <summary>The first event after <paramref name="sequence"/>, waiting for it when there is none yet.</summary>
    public async Task<(long Sequence, byte[] Event)> NextAsync(long sequence, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                if (_latest.Sequence > sequence)
                    return _latest;
                wait = _next.Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Counts a client in until the handle is disposed.</summary>
    public IDisposable Connect()
    {
        Interlocked.Increment(ref _clients);
        return new Connection(this);
    }

    private sealed class Connection(OverviewBroadcast broadcast) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                Interlocked.Decrement(ref broadcast._clients);
        }
    }
}
