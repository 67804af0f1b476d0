namespace Amlfs.Cli.LoadTest;

/// <summary>Sends one request and waits for its answer: what a load-test worker needs from a connection.</summary>
internal interface ILoadConnection
{
    /// <summary>Sends the complete request bytes and reads the whole response; returns its status code.</summary>
    /// <exception cref="RawHttpException">No response: the connection failed, timed out, or the answer was not HTTP.</exception>
    int Send(ReadOnlySpan<byte> request);
}
