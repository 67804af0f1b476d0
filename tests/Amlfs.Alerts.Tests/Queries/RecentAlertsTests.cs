using Amlfs.Alerts.Delivery;
using Amlfs.Alerts.Queries;
using Amlfs.Alerts.Raising;
using Amlfs.Alerts.Rules;
using Amlfs.Scoring;

namespace Amlfs.Alerts.Tests.Queries;

public sealed class RecentAlertsTests : IDisposable
{
    private const string RulesYaml = """
        channels:
          - name: ops
            type: webhook
            url: http://127.0.0.1:9/unused
        rules:
          - name: high
            kind: high_decision
            level: warning
            channels: [ops]
          - name: burst
            kind: high_decisions_per_entity
            count: 2
            within: 1h
            level: critical
            typology: burst
          - name: down
            kind: component_unavailable
            level: critical
        """;

    private readonly TestDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Recent_alerts_are_listed_newest_first_and_filtered_by_level_rule_model_version_and_signal()
    {
        await using var engine = await RaiseAsync();

        var all = engine.Recent.Query(new AlertQuery());
        Assert.Equal(["down:online_store", "burst:c-1", "high:t-2", "high:t-1"], all.Select(a => Key(a.Alert)));
        Assert.Equal(["down:online_store", "burst:c-1"], engine.Recent.Query(new AlertQuery { Level = AlertLevel.Critical }).Select(a => Key(a.Alert)));
        Assert.Equal(["high:t-2", "high:t-1"], engine.Recent.Query(new AlertQuery { Rule = "high" }).Select(a => Key(a.Alert)));
        Assert.Equal(["burst:c-1", "high:t-2"], engine.Recent.Query(new AlertQuery { ModelVersion = "gbm-2" }).Select(a => Key(a.Alert)));
        Assert.Equal(["burst:c-1"], engine.Recent.Query(new AlertQuery { Signal = "burst" }).Select(a => Key(a.Alert)));
        Assert.Equal(["burst:c-1", "high:t-2"], engine.Recent.Query(new AlertQuery { Signal = "unique_ips_1h" }).Select(a => Key(a.Alert)));
        Assert.Equal(["high:t-2"], engine.Recent.Query(new AlertQuery { BeforeSequence = 3, Limit = 1 }).Select(a => Key(a.Alert)));
    }

    [Fact]
    public async Task Recent_alerts_and_their_deliveries_come_back_after_a_restart()
    {
        await using (var engine = await RaiseAsync())
            Assert.Equal(4, engine.Recent.Count);

        await using var restarted = Fixtures.Engine(_data.Path, Fixtures.Rules(RulesYaml), Fixtures.Clock(), Channels());

        var recovered = restarted.Recent.Query(new AlertQuery { Rule = "high" });
        Assert.Equal(["high:t-2", "high:t-1"], recovered.Select(a => Key(a.Alert)));
        Assert.Equal(DeliveryStatus.Delivered, recovered[1].Deliveries.Single().Status);
        Assert.Equal(DeliveryStatus.Pending, recovered[0].Deliveries.Single().Status);
    }

    [Fact]
    public void The_store_keeps_at_most_its_capacity_dropping_the_oldest()
    {
        var recent = new RecentAlerts(capacity: 3);
        for (var i = 1; i <= 5; i++)
        {
            recent.Add(new Alert
            {
                Sequence = i,
                Rule = "r",
                Kind = AlertRuleKind.HighDecision,
                Level = AlertLevel.Info,
                DedupeKey = "r:" + i,
                Subject = "s",
                Summary = "",
                RaisedAtMs = i,
            });
        }

        Assert.Equal([5L, 4L, 3L], recent.Query(new AlertQuery()).Select(a => a.Alert.Sequence));
        Assert.Null(recent.Find(2));
    }

    // Alerts 1 (high, delivered), 2 (high, pending), 3 (burst), 4 (down).
    private async Task<AlertEngine> RaiseAsync()
    {
        var time = Fixtures.Clock();
        var engine = Fixtures.Engine(_data.Path, Fixtures.Rules(RulesYaml), time, Channels());
        engine.OnDecisions([Fixtures.Decision("t-1", "c-1", RiskLevel.High, Fixtures.StartMs, model: "rules-v1")]);
        await engine.DeliverDueAsync();
        var explained = Fixtures.Decision("t-2", "c-1", RiskLevel.High, Fixtures.StartMs + 1000, model: "gbm-2", contributions: [new("unique_ips_1h", 6, 0.8)]);
        engine.OnDecisions([explained]);
        engine.OnSystem(new() { Components = new Dictionary<string, bool> { ["online_store"] = false } });
        return engine;
    }

    private static string Key(Alert alert) => string.Join(':', alert.DedupeKey.Split(':').Take(2));

    private static Dictionary<string, IAlertChannel> Channels() => new() { ["ops"] = new RecordingChannel("ops") };
}
