using Amlfs.Engine;
using Amlfs.OnlineStore;
using Microsoft.Extensions.Logging;

namespace Amlfs.Kafka.Workers;

/// <summary>
/// Writes the states of the entities that the applied messages changed to the online store, one pipelined batch for
/// every owned partition at once. While the store is unavailable it holds them (the partitions keep their changed
/// entities) and tries again every <see cref="RetryDelay"/>, so that consumption goes on and only checkpoints wait.
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
                if (partition.Engine.ExportEntityState(entity, id) is { } bytes)
                    entries.Add(new OnlineStoreEntry(OnlineStoreKey.For(partition.Engine.StateFormat, entity.Name, id), bytes));
            }
        }

        try
        {
            _store.WriteAsync(entries, _timeToLive).GetAwaiter().GetResult();
        }
        catch (OnlineStoreUnavailableException e)
        {
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
        _counters.StatesWritten(entries.Count);
        return true;
    }
}
