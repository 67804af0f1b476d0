namespace Amlfs.Alerts.Queries;

/// <summary>
/// The newest alerts in memory, at most a capacity of them, with the state of their deliveries, for the dashboard.
/// Filled at start from the outbox (which keeps the alerts of the dedupe retention), so a restart does not empty it.
/// Thread-safe.
/// </summary>
public sealed class RecentAlerts
{
    private readonly Lock _lock = new();
    private readonly int _capacity;

    // Sequences increase, so the sorted list is in raise order and the oldest is first.
    private readonly SortedList<long, Entry> _entries = [];

    public RecentAlerts(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>How many alerts are held.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
                return _entries.Count;
        }
    }

    /// <summary>The alerts that match <paramref name="query"/>, newest first.</summary>
    public IReadOnlyList<RaisedAlert> Query(AlertQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var result = new List<RaisedAlert>(Math.Min(query.Limit, 128));
        lock (_lock)
        {
            for (var i = _entries.Count - 1; i >= 0 && result.Count < query.Limit; i--)
            {
                var entry = _entries.Values[i];
                if (query.Matches(entry.Alert))
                    result.Add(new RaisedAlert(entry.Alert, entry.Deliveries.Values.ToList()));
            }
        }

        return result;
    }

    /// <summary>The alert numbered <paramref name="sequence"/>, if it is still held.</summary>
    public RaisedAlert? Find(long sequence)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(sequence, out var entry)
                ? new RaisedAlert(entry.Alert, entry.Deliveries.Values.ToList())
                : null;
        }
    }

    internal void Add(Alert alert)
    {
        lock (_lock)
        {
            var entry = new Entry(alert);
            foreach (var channel in alert.Channels)
                entry.Deliveries[channel] = new ChannelDelivery(channel, DeliveryStatus.Pending, 0, null, null);
            _entries[alert.Sequence] = entry;
            while (_entries.Count > _capacity)
                _entries.RemoveAt(0);
        }
    }

    internal void Update(long sequence, ChannelDelivery delivery)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(sequence, out var entry))
                entry.Deliveries[delivery.Channel] = delivery;
        }
    }

    private sealed class Entry(Alert alert)
    {
        public Alert Alert { get; } = alert;

        public SortedDictionary<string, ChannelDelivery> Deliveries { get; } = new(StringComparer.Ordinal);
    }
}
