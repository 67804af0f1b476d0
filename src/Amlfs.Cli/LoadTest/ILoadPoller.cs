namespace Amlfs.Cli.LoadTest;

/// <summary>Tells a load-test worker which of its connections have bytes to read, waiting for them until a deadline.</summary>
internal interface ILoadPoller
{
    /// <summary>
    /// Waits until some connections have bytes to read (or were closed by the server), or until
    /// <paramref name="deadline"/> (clock ticks; at or before now only looks); writes their indexes to
    /// <paramref name="ready"/> and returns how many.
    /// </summary>
    int Wait(long deadline, Span<int> ready);
}
