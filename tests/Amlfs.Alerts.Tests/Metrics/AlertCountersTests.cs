using System.Diagnostics.Metrics;
using Amlfs.Alerts.Delivery;
using Amlfs.Alerts.Metrics;

namespace Amlfs.Alerts.Tests.Metrics;

public sealed class AlertCountersTests : IDisposable
{
    private readonly TestDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Raised_delivered_failed_and_throttled_alerts_are_counted_per_rule_and_channel_in_totals_and_on_the_meter()
    {
        // Rule names of this test only: other tests' engines publish on the same meter meanwhile.
        var rules = Fixtures.Rules("""
            channels:
              - name: ops
                type: webhook
                url: http://127.0.0.1:9/unused
              - name: mail
                type: webhook
                url: http://127.0.0.1:9/unused
            rules:
              - name: counted_high
                kind: high_decision
                throttle: 1h
                channels: [ops, mail]
              - name: counted_lag
                kind: engine_lag_above
                threshold: 1s
            """);
        var measured = new List<(string Instrument, string Rule, string? Channel, long Value)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == AlertMetrics.MeterName)
                    l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? rule = null, channel = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "rule")
                    rule = (string?)tag.Value;
                else if (tag.Key == "channel")
                    channel = (string?)tag.Value;
            }

            if (rule is "counted_high" or "counted_lag")
            {
                lock (measured)
                    measured.Add((instrument.Name, rule, channel, value));
            }
        });
        listener.Start();

        var time = Fixtures.Clock();
        var channels = new Dictionary<string, IAlertChannel>
        {
            ["ops"] = new RecordingChannel("ops"),
            ["mail"] = new RecordingChannel("mail", DeliveryResult.Refused("550 no such user")),
        };
        await using var engine = Fixtures.Engine(_data.Path, rules, time, channels);
        engine.OnDecisions([Fixtures.High("t-1", "c-1", Fixtures.StartMs), Fixtures.High("t-2", "c-1", Fixtures.StartMs), Fixtures.High("t-3", "c-1", Fixtures.StartMs)]);
        engine.OnSystem(new() { EngineLagSeconds = 5 });
        await engine.DeliverDueAsync();

        Assert.Equal(
        [
            new AlertCount(AlertCounter.Raised, "counted_high", null, 1),
            new AlertCount(AlertCounter.Raised, "counted_lag", null, 1),
            new AlertCount(AlertCounter.Delivered, "counted_high", "ops", 1),
            new AlertCount(AlertCounter.Failed, "counted_high", "mail", 1),
            new AlertCount(AlertCounter.Throttled, "counted_high", null, 2),
        ], engine.Metrics.Snapshot());
        lock (measured)
        {
            Assert.Equal(
            [
                ("amlfs.alerts.delivered", "counted_high", "ops", 1L),
                ("amlfs.alerts.failed", "counted_high", "mail", 1L),
                ("amlfs.alerts.raised", "counted_high", null, 1L),
                ("amlfs.alerts.raised", "counted_lag", null, 1L),
                ("amlfs.alerts.throttled", "counted_high", null, 2L),
            ], measured.GroupBy(m => (m.Instrument, m.Rule, m.Channel)).Select(g => (g.Key.Instrument, g.Key.Rule, g.Key.Channel, g.Sum(m => m.Value)))
                .OrderBy(m => m.Instrument, StringComparer.Ordinal).ThenBy(m => m.Rule, StringComparer.Ordinal));
        }
    }
}
