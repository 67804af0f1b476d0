using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Amlfs.Alerts.Metrics;

/// <summary>
/// The alert counters: raised and throttled per rule, delivered and failed per rule and channel. Each is published as a
/// counter of meter <c>Amlfs.Alerts</c> (tags <c>rule</c> and <c>channel</c>) and kept as a total that
/// <see cref="Snapshot"/> reads, for a host that renders <c>/metrics</c> itself. Totals start at zero with each
/// process, as Prometheus counters do. Thread-safe.
/// </summary>
public sealed class AlertMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Amlfs.Alerts";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long>[] _instruments;
    private readonly ConcurrentDictionary<(AlertCounter Counter, string Rule, string? Channel), StrongBox> _totals = new();

    public AlertMetrics()
    {
        _instruments =
        [
            _meter.CreateCounter<long>("amlfs.alerts.raised", description: "Alerts raised, per rule"),
            _meter.CreateCounter<long>("amlfs.alerts.delivered", description: "Alerts delivered, per rule and channel"),
            _meter.CreateCounter<long>("amlfs.alerts.failed", description: "Alerts given up on, per rule and channel"),
            _meter.CreateCounter<long>("amlfs.alerts.throttled", description: "Alerts throttled, per rule"),
        ];
    }

    /// <summary>Every counter that counted anything, ordered by counter, rule and channel.</summary>
    public IReadOnlyList<AlertCount> Snapshot() => _totals
        .Select(t => new AlertCount(t.Key.Counter, t.Key.Rule, t.Key.Channel, Volatile.Read(ref t.Value.Value)))
        .OrderBy(c => c.Counter).ThenBy(c => c.Rule, StringComparer.Ordinal).ThenBy(c => c.Channel, StringComparer.Ordinal)
        .ToList();

    /// <summary>The total of one counter (0 when it never counted).</summary>
    public long Total(AlertCounter counter, string rule, string? channel = null) =>
        _totals.TryGetValue((counter, rule, channel), out var box) ? Volatile.Read(ref box.Value) : 0;

    public void Dispose() => _meter.Dispose();

    internal void Add(AlertCounter counter, string rule, string? channel = null)
    {
        var box = _totals.GetOrAdd((counter, rule, channel), static _ => new StrongBox());
        Interlocked.Increment(ref box.Value);
        var instrument = _instruments[(int)counter];
        if (!instrument.Enabled)
            return;
        if (channel is null)
            instrument.Add(1, new KeyValuePair<string, object?>("rule", rule));
        else
            instrument.Add(1, new KeyValuePair<string, object?>("rule", rule), new KeyValuePair<string, object?>("channel", channel));
    }

    private sealed class StrongBox
    {
        public long Value;
    }
}
