namespace Amlfs.Alerts.Evaluation;

/// <summary>
/// Dedupe and throttle: remembers each dedupe key raised (or throttled) for the retention, and when each rule last
/// raised an alert about each subject. Fed at start with the alerts of the outbox, so both hold across restarts. Not
/// thread-safe: the engine calls it under its lock.
/// </summary>
internal sealed class AlertGate(long retentionMs)
{
    private readonly Dictionary<string, long> _keys = new(StringComparer.Ordinal);
    private readonly Queue<(long AtMs, string Key)> _keyOrder = new();
    private readonly Dictionary<(string Rule, string Subject), long> _lastRaised = [];
    private long _lastRaisedPrunedMs;

    public AlertVerdict Admit(Alert candidate, TimeSpan throttle, long nowMs)
    {
        Expire(nowMs);
        if (_keys.ContainsKey(candidate.DedupeKey))
            return AlertVerdict.Duplicate;
        Remember(candidate.DedupeKey, nowMs);
        var subject = (candidate.Rule, candidate.Subject);
        if (throttle > TimeSpan.Zero && _lastRaised.TryGetValue(subject, out var last) && nowMs - last < (long)throttle.TotalMilliseconds)
            return AlertVerdict.Throttled;
        _lastRaised[subject] = nowMs;
        return AlertVerdict.Raise;
    }

    /// <summary>An alert of the outbox, raised before this process started.</summary>
    public void Recover(Alert alert)
    {
        if (_keys.TryAdd(alert.DedupeKey, alert.RaisedAtMs))
            _keyOrder.Enqueue((alert.RaisedAtMs, alert.DedupeKey));
        var subject = (alert.Rule, alert.Subject);
        if (!_lastRaised.TryGetValue(subject, out var last) || last < alert.RaisedAtMs)
            _lastRaised[subject] = alert.RaisedAtMs;
    }

    private void Remember(string key, long nowMs)
    {
        _keys[key] = nowMs;
        _keyOrder.Enqueue((nowMs, key));
    }

    private void Expire(long nowMs)
    {
        while (_keyOrder.TryPeek(out var oldest) && nowMs - oldest.AtMs > retentionMs)
        {
            _keyOrder.Dequeue();
            if (_keys.TryGetValue(oldest.Key, out var at) && at == oldest.AtMs)
                _keys.Remove(oldest.Key);
        }

        // Subjects whose last alert is older than the retention no longer throttle anything a rule may declare.
        if (nowMs - _lastRaisedPrunedMs < 60_000)
            return;
        _lastRaisedPrunedMs = nowMs;
        foreach (var subject in _lastRaised.Where(s => nowMs - s.Value > retentionMs).Select(s => s.Key).ToList())
            _lastRaised.Remove(subject);
    }
}
