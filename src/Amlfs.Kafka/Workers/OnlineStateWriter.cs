using Amlfs.Engine;
using Amlfs.OnlineStore;
using Microsoft.Extensions.Logging;

namespace Amlfs.Kafka.Workers;

/// <summary>
/// Writes the states of the entities that the applied messages changed to the online store, one pipelined batch for
/// every owned partition at once, each at its position: the partition's log and the worker's epoch of ownership of it
/// (<see cref="TakeEpoch"/>), and the entity's log sequence. The store refuses a state older than the one it holds,
/// which is no error: a worker replaying a partition from an older checkpoint than its predecessor reached, or one
/// the group has already replaced, writes states the store already has newer ones of. While the store is unavailable
/// the writer holds the changes (the partitions keep their changed entities) and tries again every
/// <see cref="RetryDelay"/>, so that consumption goes on and only checkpoints wait. Each state goes under the key of
/// the end its partition hosts (<see cref="TopicRole.StateKey"/>): an account with inflows has two, its outflows written
/// by the owner of its source partition, its inflows by the owner of its partition of the merchant-keyed topic.
/// </summary>
internal sealed partial class OnlineStateWriter
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);
    private readonly IOnlineStore _store;
    private readonly FeaturePlan _plan;
    private readonly TimeSpan _timeToLive;
    private readonly TimeProvider _clock;
    private readonly WorkerCounters _counters;
    private readonly ILogger _logger;
    private long _nextAttempt;
    private bool _storeDown;

    public OnlineStateWriter(IOnlineStore store, FeaturePlan plan, TimeSpan timeToLive, TimeProvider clock, WorkerCounters counters, ILogger logger)
    {
        _store = store;
        _plan = plan;
        _timeToLive = timeToLive;
        _clock = clock;
        _counters = counters;
        _logger = logger;
    }

    /// <summary>
    /// Writes the state of every changed entity of <paramref name="partitions"/> in one batch and forgets the changes.
    /// Returns false, keeping them for the next attempt, while the store is unavailable; without
    /// <paramref name="waitForStore"/> it does not even try until the retry delay has passed since the last failure.
    /// </summary>
    public bool Write(IReadOnlyCollection<OwnedPartition> partitions, bool waitForStore)
    {
        if (partitions.All(p => p.Changed.Count == 0))
            return true;
        if (!waitForStore && _storeDown && _clock.GetTimestamp() < _nextAttempt)
            return false;
        var entries = new List<OnlineStoreEntry>();
        foreach (var partition in partitions)
        {
            foreach (var (entityIndex, id) in partition.Changed)
            {
                var entity = _plan.Entities[entityIndex];
                if (partition.Engine.ExportEntityState(entity, id, out var sequence) is { } bytes)
                    entries.Add(new OnlineStoreEntry(partition.Role.StateKey(partition.Engine.StateFormat, entity, id), bytes, partition.PositionOf(sequence)));
            }
        }

        int stale;
        try
        {
            stale = _store.WriteAsync(entries, _timeToLive).GetAwaiter().GetResult();
        }
        catch (NotSupportedException e)
        {
            throw new WorkerFailedException(e.Message, e);
        }
        catch (OnlineStoreUnavailableException e)
        {
            _counters.StoreWriteFailed();
            if (!_storeDown)
                LogStoreUnavailable(_logger, e.Endpoint ?? "(unknown)", e.Message);
            _storeDown = true;
            _nextAttempt = _clock.GetTimestamp() + (long)(RetryDelay.TotalSeconds * _clock.TimestampFrequency);
            return false;
        }

        if (_storeDown)
            LogStoreBack(_logger);
        _storeDown = false;
        foreach (var partition in partitions)
            partition.Changed.Clear();
        _counters.StatesWritten(entries.Count - stale);
        if (stale > 0)
        {
            _counters.StaleStates(stale);
            LogStaleStates(_logger, stale, entries.Count);
        }

        return true;
    }

    /// <summary>
    /// A new ownership epoch from the store, for partitions just assigned: larger than any other worker's, so that
    /// once this worker has written an entity's state no predecessor can overwrite it. Waits for an unavailable store
    /// for up to a minute, as for a checkpoint; a store that cannot fence writes stops the worker.
    /// </summary>
    public long TakeEpoch()
    {
        try
        {
            return StoreWait.Retry(
                () => _store.NextEpochAsync().GetAwaiter().GetResult(),
                _clock,
                "the online store could not give an ownership epoch for the partitions assigned",
                reason => LogEpochRetry(_logger, reason));
        }
        catch (NotSupportedException e)
        {
            throw new WorkerFailedException(e.Message, e);
        }
    }
}
