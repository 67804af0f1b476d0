using Amlfs.Decisions;

namespace Amlfs.Server.Decisions;

/// <summary>
/// The decisions this process took, for its own readers: the newest ones in a bounded ring (the dashboard's alert list,
/// a decision opened by its transaction id), and subscribers called with each batch in log order as the decision stream
/// takes it (alerts, the dashboard's live updates). Subscribers run on the stream's task, so they must not block: one
/// that has slow work queues it.
/// </summary>
internal sealed class DecisionFeed
{
    /// <summary>Decisions the ring holds by default: about 2 MB, minutes of traffic at a few hundred per second.</summary>
    public const int DefaultCapacity = 20_000;

    private readonly Decision?[] _ring;
    private readonly Dictionary<string, int> _byTransaction = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private Action<IReadOnlyList<Decision>>[] _subscribers = [];
    private long _published;

    public DecisionFeed(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new Decision?[capacity];
    }

    /// <summary>The most decisions the ring holds.</summary>
    public int Capacity => _ring.Length;

    /// <summary>Decisions published so far.</summary>
    public long Published => Volatile.Read(ref _published);

    /// <summary>Adds a batch, in log order, and hands it to every subscriber. One caller at a time (the decision stream).</summary>
    public void Publish(IReadOnlyList<Decision> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
            return;
        lock (_gate)
        {
            foreach (var decision in batch)
            {
                var slot = (int)(_published % _ring.Length);
                if (_ring[slot] is { } evicted && _byTransaction.TryGetValue(evicted.TransactionId, out var at) && at == slot)
                    _byTransaction.Remove(evicted.TransactionId);
                _ring[slot] = decision;
                _byTransaction[decision.TransactionId] = slot;
                _published++;
            }
        }

        foreach (var subscriber in Volatile.Read(ref _subscribers))
            subscriber(batch);
    }

    /// <summary>The newest decisions that pass <paramref name="filter"/> (all when null), newest first, at most <paramref name="count"/>.</summary>
    public IReadOnlyList<Decision> Newest(int count, Func<Decision, bool>? filter = null)
    {
        var found = new List<Decision>(Math.Min(count, 256));
        lock (_gate)
        {
            var held = (int)Math.Min(_published, _ring.Length);
            for (var k = 1; k <= held && found.Count < count; k++)
            {
                var decision = _ring[(int)((_published - k) % _ring.Length)]!;
                if (filter is null || filter(decision))
                    found.Add(decision);
            }
        }

        return found;
    }

    /// <summary>The decision about <paramref name="transactionId"/> while the ring still holds it.</summary>
    public Decision? Find(string transactionId)
    {
        lock (_gate)
            return _byTransaction.TryGetValue(transactionId, out var slot) ? _ring[slot] : null;
    }

    /// <summary>Calls <paramref name="receiver"/> with every batch published from now on, until the returned handle is disposed.</summary>
    public IDisposable Subscribe(Action<IReadOnlyList<Decision>> receiver)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        lock (_gate)
            _subscribers = [.. _subscribers, receiver];
        return new Subscription(this, receiver);
    }

    private void Unsubscribe(Action<IReadOnlyList<Decision>> receiver)
    {
        lock (_gate)
            _subscribers = [.. _subscribers.Where(s => s != receiver)];
    }

    private sealed class Subscription(DecisionFeed feed, Action<IReadOnlyList<Decision>> receiver) : IDisposable
    {
        public void Dispose() => feed.Unsubscribe(receiver);
    }
}
