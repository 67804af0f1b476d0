using System.Runtime.InteropServices;

namespace Amlfs.Cli;

/// <summary>
/// SIGINT and SIGTERM for the whole life of the process. The first one cancels <see cref="Token"/>, which every command
/// stops on, cleanly and without a time limit (the server drains ingest and writes a snapshot); a second one ends the
/// process at once with 128 + the signal's number, 130 or 143. What was accepted is in the write-ahead log either way.
/// </summary>
/// <remarks>
/// This is the process's only stop signal handling besides the web host's: the command line library's own (which
/// <see cref="AmlfsCli.Run"/> turns off) registers only once the command has started and, racing with the command's
/// own stop, sometimes ended the process with 130 before a clean stop had run.
/// </remarks>
internal sealed class ProcessStopSignal : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly TextWriter _error;
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private int _signals;

    public ProcessStopSignal(TextWriter error)
    {
        _error = error;
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled by the first SIGINT or SIGTERM.</summary>
    public CancellationToken Token => _stop.Token;

    /// <remarks>
    /// The token source is left undisposed on purpose: handlers run on their own thread, so one may still be running
    /// for a signal that arrived just before, and a source without timers or linked tokens holds nothing to release.
    /// </remarks>
    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        if (Interlocked.Increment(ref _signals) == 1)
        {
            _stop.Cancel();
            return;
        }

        _error.WriteLine($"{context.Signal} again: stopping at once, without the snapshot (the write-ahead log keeps what was accepted)");
        _error.Flush();
        Environment.Exit(context.Signal == PosixSignal.SIGTERM ? 143 : 130);
    }
}
