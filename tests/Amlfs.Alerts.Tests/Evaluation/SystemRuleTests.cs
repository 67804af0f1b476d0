using Amlfs.Alerts.Evaluation;

namespace Amlfs.Alerts.Tests.Evaluation;

public sealed class SystemRuleTests : IDisposable
{
    private readonly TestDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_slow_predict_p99_raises_only_once_it_has_held_for_the_rule_s_duration()
    {
        var time = Fixtures.Clock();
        await using var engine = Fixtures.Engine(_data.Path, Fixtures.Rules("rules:\n  - name: slow\n    kind: predict_p99_above\n    threshold: 50ms\n    for: 1m\n"), time);
        var slow = new SystemSnapshot { PredictP99Seconds = 0.08 };

        var raised = new List<Alert>();
        for (var second = 0; second < 60; second++)
        {
            raised.AddRange(engine.OnSystem(slow));
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Empty(raised);
        var alert = Assert.Single(engine.OnSystem(slow));
        Assert.Equal(($"slow:predict:{Fixtures.StartMs}", "predict", 0.08, 0.05), (alert.DedupeKey, alert.Subject, alert.Value!.Value, alert.Threshold!.Value));
        Assert.Equal("/predict p99 80 ms above 50 ms for 1m", alert.Summary);
    }

    [Fact]
    public async Task A_condition_that_stops_holding_before_its_duration_does_not_raise()
    {
        var time = Fixtures.Clock();
        await using var engine = Fixtures.Engine(_data.Path, Fixtures.Rules("rules:\n  - name: slow\n    kind: predict_p99_above\n    threshold: 50ms\n    for: 1m\n"), time);

        engine.OnSystem(new SystemSnapshot { PredictP99Seconds = 0.08 });
        time.Advance(TimeSpan.FromSeconds(40));
        engine.OnSystem(new SystemSnapshot { PredictP99Seconds = 0.01 });
        time.Advance(TimeSpan.FromSeconds(40));
        var raised = engine.OnSystem(new SystemSnapshot { PredictP99Seconds = 0.08 });
        time.Advance(TimeSpan.FromSeconds(40));
        raised = [.. raised, .. engine.OnSystem(new SystemSnapshot { PredictP99Seconds = 0.08 })];

        Assert.Empty(raised);
    }

    [Fact]
    public async Task A_condition_raises_once_while_it_holds_and_again_after_it_cleared()
    {
        var time = Fixtures.Clock();
        await using var engine = Fixtures.Engine(_data.Path, Fixtures.Rules("rules:\n  - name: lag\n    kind: engine_lag_above\n    threshold: 30s\n"), time);

        var first = engine.OnSystem(new SystemSnapshot { EngineLagSeconds = 45 });
        time.Advance(TimeSpan.FromSeconds(1));
        var holding = engine.OnSystem(new SystemSnapshot { EngineLagSeconds = 50 });
        time.Advance(TimeSpan.FromSeconds(1));
        var below = engine.OnSystem(new SystemSnapshot { EngineLagSeconds = 30 });
        time.Advance(TimeSpan.FromSeconds(1));
        var again = engine.OnSystem(new SystemSnapshot { EngineLagSeconds = 31 });

        Assert.Equal(["engine lag 45 s above 30 s"], first.Select(a => a.Summary));
        Assert.Empty(holding);
        Assert.Empty(below);
        Assert.Equal([$"lag:engine:{Fixtures.StartMs + 3000}"], again.Select(a => a.DedupeKey));
    }

    [Fact]
    public async Task The_rejected_share_is_taken_over_a_whole_window_of_counter_growth()
    {
        var time = Fixtures.Clock();
        var rules = Fixtures.Rules("rules:\n  - name: rejected\n    kind: rejected_share_above\n    threshold: 5%\n    window: 1m\n    min_events: 100\n");
        await using var engine = Fixtures.Engine(_data.Path, rules, time);

        // Before the host restarted counting, a share of 50%; then 1,000 accepted and 40 rejected a minute: 3.8%.
        var raised = new List<Alert>();
        raised.AddRange(engine.OnSystem(new SystemSnapshot { IngestAccepted = 500, IngestRejected = 500 }));
        for (var minute = 0; minute <= 2; minute++)
        {
            raised.AddRange(engine.OnSystem(new SystemSnapshot { IngestAccepted = 1000 * minute, IngestRejected = 40 * minute }));
            time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Empty(raised);

        // Then 900 accepted and 100 rejected in a minute: 10%.
        var alert = Assert.Single(engine.OnSystem(new SystemSnapshot { IngestAccepted = 2900, IngestRejected = 180 }));
        Assert.Equal(0.1, alert.Value!.Value, 12);
        Assert.Equal("rejected share 10% above 5% over 1m", alert.Summary);
    }

    [Fact]
    public async Task A_rejected_share_over_fewer_transactions_than_the_minimum_does_not_count()
    {
        var time = Fixtures.Clock();
        var rules = Fixtures.Rules("rules:\n  - name: rejected\n    kind: rejected_share_above\n    threshold: 5%\n    min_events: 100\n");
        await using var engine = Fixtures.Engine(_data.Path, rules, time);

        engine.OnSystem(new SystemSnapshot { IngestAccepted = 0, IngestRejected = 0 });
        time.Advance(TimeSpan.FromMinutes(1));
        var raised = engine.OnSystem(new SystemSnapshot { IngestAccepted = 10, IngestRejected = 89 });

        Assert.Empty(raised);
    }

    [Fact]
    public async Task An_unavailable_component_raises_and_an_available_or_unreported_one_does_not()
    {
        var time = Fixtures.Clock();
        var rules = Fixtures.Rules("rules:\n  - name: down\n    kind: component_unavailable\n  - name: kafka\n    kind: component_unavailable\n    component: kafka\n");
        await using var engine = Fixtures.Engine(_data.Path, rules, time);

        var raised = engine.OnSystem(new SystemSnapshot { Components = new Dictionary<string, bool> { ["online_store"] = false, ["kafka"] = true, ["wal"] = true } });

        var alert = Assert.Single(raised);
        Assert.Equal(("down", "online_store", "online_store unavailable"), (alert.Rule, alert.Subject, alert.Summary));
        Assert.Null(alert.Threshold);
    }

    [Fact]
    public async Task A_PSI_above_the_default_threshold_raises_per_feature_and_for_the_score()
    {
        var time = Fixtures.Clock();
        var rules = Fixtures.Rules("rules:\n  - name: drift\n    kind: psi_above\n  - name: score_drift\n    kind: psi_above\n    feature: score\n    threshold: 0.5\n");
        await using var engine = Fixtures.Engine(_data.Path, rules, time);

        var raised = engine.OnSystem(new SystemSnapshot
        {
            FeaturePsi = new Dictionary<string, double> { ["txn_count_1h"] = 0.31, ["unique_ips_1h"] = 0.2 },
            ScorePsi = 0.4,
        });

        Assert.Equal([("drift", "txn_count_1h"), ("drift", "score")], raised.Select(a => (a.Rule, a.Subject)));
        Assert.Equal(["txn_count_1h"], raised[0].Signals);
        Assert.Equal(0.2, raised[0].Threshold);
    }

    [Fact]
    public async Task A_signal_the_host_does_not_report_ends_a_condition_instead_of_raising()
    {
        var time = Fixtures.Clock();
        await using var engine = Fixtures.Engine(_data.Path, Fixtures.Rules("rules:\n  - name: lag\n    kind: engine_lag_above\n    threshold: 30s\n    for: 10s\n"), time);

        engine.OnSystem(new SystemSnapshot { EngineLagSeconds = 45 });
        time.Advance(TimeSpan.FromSeconds(6));
        engine.OnSystem(new SystemSnapshot());
        time.Advance(TimeSpan.FromSeconds(6));
        var raised = engine.OnSystem(new SystemSnapshot { EngineLagSeconds = 45 });

        Assert.Empty(raised);
    }
}
