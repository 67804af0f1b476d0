namespace Amlfs.Cli.LoadTest;

/// <summary>
/// What a load-test worker needs from a connection: start a request, then, whenever the poller reports bytes for it,
/// try to complete it. One request is in flight at a time.
/// </summary>
internal interface ILoadConnection
{
    /// <summary>Connects when not connected, and sends the complete request bytes.</summary>
    /// <exception cref="RawHttpException">The connection could not be opened, or failed.</exception>
    void Start(ReadOnlySpan<byte> request);

    /// <summary>Reads what has arrived; true, with the status code, once the whole response is in.</summary>
    /// <exception cref="RawHttpException">No response: the connection failed or closed, or the answer was not HTTP.</exception>
    bool TryReceive(out int status);

    /// <summary>Drops the connection (a request that timed out); the next <see cref="Start"/> reconnects.</summary>
    void Abort();
}
