using Amlfs.OfflineStore;

namespace Amlfs.Server.Hosting;

/// <summary>
/// Rolls a segment log into the offline store in the background, off its writer's path: the writer only signals when a
/// segment seals, and this service reads the sealed segments from their files and rolls them (<see cref="IRolledLog"/>:
/// the write-ahead log into the transactions, the decision log into the decisions). Each roll is reported to the log,
/// whose retention never deletes a segment that is not rolled yet. On a clean stop, <see cref="RollRemainingAsync"/>
/// rolls the rest of the log, the active segment's committed records included, once the writer has stopped.
/// </summary>
internal sealed class LogRollService : IDisposable
{
    private readonly IRolledLog _log;
    private readonly SemaphoreSlim _sealed = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private volatile string? _error;
    private long _rolledRecords;

    private LogRollService(IRolledLog log)
    {
        _log = log;
        log.Rolled(new LogRollResult(0, 0, log.RolledSequence)); // retention knows the horizon before the first roll
        _sealed.Release(); // segments sealed before this start roll at once
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The log sequence up to which the records are in the offline store.</summary>
    public long RolledSequence => _log.RolledSequence;

    /// <summary>Records rolled by this process.</summary>
    public long RolledRecords => Interlocked.Read(ref _rolledRecords);

    /// <summary>Why the last roll failed, or null when it succeeded; the next seal tries again.</summary>
    public string? Error => _error;

    /// <summary>
    /// Starts rolling <paramref name="log"/>, whose roll is open (its horizon read, a batch torn by a crash repaired).
    /// Call before the log's writer starts, or from it.
    /// </summary>
    public static LogRollService Start(IRolledLog log) => new(log);

    /// <summary>Called by the log's writer when a segment has sealed: there is work. Several signals before a roll are one roll.</summary>
    public void SegmentSealed() => _sealed.Release();

    /// <summary>
    /// Stops the background loop (a roll under way finishes first) and rolls every record the log holds. Only once the
    /// log's writer has stopped: the log is then read through its own (single-threaded) reader, which sees the active
    /// segment's records too.
    /// </summary>
    public async Task RollRemainingAsync()
    {
        await StopAsync().ConfigureAwait(false);
        try
        {
            Rolled(await _log.RollRestAsync().ConfigureAwait(false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or InvalidOperationException)
        {
            Failed(e);
        }
    }

    public void Dispose()
    {
        StopAsync().GetAwaiter().GetResult();
        _sealed.Dispose();
        _stopping.Dispose();
    }

    private Task StopAsync()
    {
        if (!_stopping.IsCancellationRequested)
            _stopping.Cancel();
        return _loop;
    }

    private async Task RunAsync()
    {
        var token = _stopping.Token;
        try
        {
            while (true)
            {
                await _sealed.WaitAsync(token).ConfigureAwait(false);
                while (_sealed.Wait(0))
                {
                    // Several seals since the last roll are one roll.
                }

                await RollSealedAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Rolls the sealed segments; a stop waits for it rather than cancel a batch halfway.</summary>
    private async Task RollSealedAsync()
    {
        var through = _log.SealedThrough;
        if (through <= _log.RolledSequence)
            return;
        try
        {
            Rolled(await _log.RollSealedAsync(through).ConfigureAwait(false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            Failed(e);
        }
    }

    private void Rolled(LogRollResult result)
    {
        _log.Rolled(result);
        _error = null;
        Interlocked.Add(ref _rolledRecords, result.Records);
    }

    private void Failed(Exception exception)
    {
        _error = exception.Message;
        _log.RollFailed(exception);
    }
}
