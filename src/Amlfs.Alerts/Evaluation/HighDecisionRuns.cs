namespace Amlfs.Alerts.Evaluation;

/// <summary>
/// Per entity, the event times of its recent HIGH decisions, to tell exactly when N of them fall within a window of
/// length T (their times span less than T, so they fit one half-open window <c>[a, a + T)</c>, the contract's window).
/// Times are kept sorted, so a decision that arrives late in log order is counted where its time puts it.
/// </summary>
/// <remarks>
/// A run starts when a HIGH decision completes N within T and goes on while each later HIGH decision of the entity
/// completes N within T too; only the start of a run fires, so a burst is one alert. Memory: a time is dropped once it
/// is more than T plus the allowed lateness older than the newest time seen, since no decision accepted later can
/// fall within T of it; an entity without times is dropped. What is kept is therefore the HIGH decisions of the last
/// T plus lateness (twice that at worst between sweeps), whatever the number of entities seen.
/// </remarks>
internal sealed class HighDecisionRuns(int count, long withinMs, long latenessMs)
{
    private readonly Dictionary<string, EntityTimes> _entities = new(StringComparer.Ordinal);
    private long _newestMs = long.MinValue;
    private long _sweptAtMs = long.MinValue;

    /// <summary>Entities with times kept (for tests of the memory bound).</summary>
    public int TrackedEntities => _entities.Count;

    /// <summary>
    /// Adds a HIGH decision of <paramref name="entity"/> at <paramref name="timeMs"/>; when it starts a run, the time of
    /// the run's first decision and how many HIGH decisions its window holds.
    /// </summary>
    public (long FirstMs, int Count)? Add(string entity, long timeMs)
    {
        if (timeMs > _newestMs)
            _newestMs = timeMs;
        Sweep();

        if (!_entities.TryGetValue(entity, out var e))
            _entities[entity] = e = new EntityTimes();
        var times = e.Times;
        var i = times.BinarySearch(timeMs);
        i = i < 0 ? ~i : i + 1;
        while (i < times.Count && times[i] == timeMs)
            i++;
        times.Insert(i, timeMs);

        // The windows of N consecutive times that hold the new one: starts from i - N + 1 to i.
        var first = -1;
        for (var j = Math.Max(0, i - count + 1); j <= i && j + count - 1 < times.Count; j++)
        {
            if (times[j + count - 1] - times[j] < withinMs)
            {
                first = j;
                break;
            }
        }

        if (first < 0)
        {
            e.InRun = false;
            return null;
        }

        if (e.InRun)
            return null;
        e.InRun = true;
        var start = times[first];
        var end = first;
        while (end < times.Count && times[end] - start < withinMs)
            end++;
        return (start, end - first);
    }

    private void Sweep()
    {
        if (_sweptAtMs != long.MinValue && _newestMs - _sweptAtMs < withinMs)
            return;
        _sweptAtMs = _newestMs;
        var oldest = _newestMs - latenessMs - withinMs;
        List<string>? empty = null;
        foreach (var (entity, e) in _entities)
        {
            var stale = 0;
            while (stale < e.Times.Count && e.Times[stale] <= oldest)
                stale++;
            e.Times.RemoveRange(0, stale);
            if (e.Times.Count == 0)
                (empty ??= []).Add(entity);
        }

        foreach (var entity in empty ?? [])
            _entities.Remove(entity);
    }

    private sealed class EntityTimes
    {
        public List<long> Times { get; } = [];

        public bool InRun { get; set; }
    }
}
