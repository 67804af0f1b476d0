using Amlfs.OfflineStore;
using Amlfs.Storage;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Hosting;

/// <summary>
/// Rolls the write-ahead log into the offline store in the background, off the ingest writer's path: the writer only
/// signals when a segment seals, and this service reads the sealed segments from their files (<see cref="WalFiles"/>)
/// and hands them to the offline store's roll (<see cref="IOfflineStoreRoll"/>). It reports its horizon to the store,
/// whose retention never deletes a segment that is not rolled yet. On a clean stop, <see cref="RollRemaining"/> rolls the
/// rest of the log, the active segment's committed records included, once the writer has stopped.
/// </summary>
internal sealed partial class LogRollService : IDisposable
{
    private readonly EmbeddedStore _store;
    private readonly IOfflineStoreRoll _roller;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _sealed = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private volatile string? _error;
    private long _rolledRecords;

    private LogRollService(EmbeddedStore store, IOfflineStoreRoll roller, ILogger logger)
    {
        _store = store;
        _roller = roller;
        _logger = logger;
        store.RolledSequence = roller.RolledSequence;
        _sealed.Release(); // segments sealed before this start roll at once
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The log sequence up to which the records are in the offline store.</summary>
    public long RolledSequence => _roller.RolledSequence;

    /// <summary>Records rolled by this process.</summary>
    public long RolledRecords => Interlocked.Read(ref _rolledRecords);

    /// <summary>Why the last roll failed, or null when it succeeded; the next seal tries again.</summary>
    public string? Error => _error;

    /// <summary>
    /// Starts rolling into <paramref name="roller"/>, opened on the store's data directory (its horizon read, a batch
    /// torn by a crash repaired). Call before the ingest writer starts, from the thread that opened the store.
    /// </summary>
    public static LogRollService Start(EmbeddedStore store, IOfflineStoreRoll roller, ILogger logger) => new(store, roller, logger);

    /// <summary>Called by the ingest writer when a segment has sealed: there is work.</summary>
    public void SegmentSealed() => _sealed.Release();

    /// <summary>
    /// Stops the background loop and rolls every record the log holds. Only once the ingest writer has stopped: the
    /// log is then read through its own (single-threaded) reader, which sees the active segment's records too.
    /// </summary>
    public void RollRemaining()
    {
        Stop();
        try
        {
            var result = _roller.RollAsync(_store.Log.ReadFrom(_roller.RolledSequence)).GetAwaiter().GetResult();
            Rolled(result);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or InvalidOperationException)
        {
            _error = e.Message;
            LogRollFailed(_logger, e);
        }
    }

    public void Dispose()
    {
        Stop();
        _sealed.Dispose();
        _stopping.Dispose();
    }

    private void Stop()
    {
        if (!_stopping.IsCancellationRequested)
            _stopping.Cancel();
        _loop.GetAwaiter().GetResult();
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
        var through = _store.Log.SealedThrough;
        if (through <= _roller.RolledSequence)
            return;
        try
        {
            Rolled(await _roller.RollAsync(WalFiles.Read(_store.Log.Directory, _roller.RolledSequence, through), CancellationToken.None).ConfigureAwait(false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            _error = e.Message;
            LogRollFailed(_logger, e);
        }
    }

    private void Rolled(LogRollResult result)
    {
        _store.RolledSequence = result.RolledSequence;
        _error = null;
        Interlocked.Add(ref _rolledRecords, result.Records);
        if (result.Records > 0)
            LogRolled(_logger, result.Records, result.Files, result.RolledSequence);
    }
}
