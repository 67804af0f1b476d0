using Amlfs.Alerts.Evaluation;
using Amlfs.Alerts.Rules;
using Amlfs.Decisions;
using Amlfs.Scoring;

namespace Amlfs.Alerts.Tests.Evaluation;

public sealed class DecisionRuleTests : IDisposable
{
    private const long Minute = 60_000;
    private readonly TestDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_HIGH_decision_raises_an_alert_and_a_MEDIUM_one_does_not()
    {
        var time = Fixtures.Clock();
        await using var engine = Fixtures.Engine(_data.Path, Fixtures.Rules("rules:\n  - name: high\n    kind: high_decision\n"), time);
        var contributions = new List<DecisionContribution> { new("unique_ips_1h", 5, 0.4), new("txn_count_1h", 9, -0.1), new("amount", 12000, 0.7) };

        var raised = engine.OnDecisions(
        [
            Fixtures.Decision("t-1", "c-1", RiskLevel.Medium, Fixtures.StartMs, score: 0.5),
            Fixtures.Decision("t-2", "c-1", RiskLevel.High, Fixtures.StartMs, score: 0.91, contributions: contributions),
        ]);

        var alert = Assert.Single(raised);
        Assert.Equal(("high", "high:t-2", "c-1", "t-2", "rules-v1"), (alert.Rule, alert.DedupeKey, alert.Subject, alert.TransactionId, alert.ModelVersion));
        Assert.Equal((RiskLevel.High, 0.91), (alert.RiskLevel!.Value, alert.Score!.Value));
        Assert.Equal(["amount", "unique_ips_1h"], alert.Signals);
        Assert.Equal((1L, Fixtures.StartMs), (alert.Sequence, alert.RaisedAtMs));
    }

    [Fact]
    public async Task Three_HIGH_decisions_of_a_customer_within_an_hour_raise_one_alert_at_the_third()
    {
        var time = Fixtures.Clock();
        await using var engine = Fixtures.Engine(_data.Path, PerCustomer(count: 3, within: "1h"), time);
        var t0 = Fixtures.StartMs;

        Assert.Empty(engine.OnDecisions([Fixtures.High("t-1", "c-1", t0), Fixtures.High("t-2", "c-1", t0 + 20 * Minute)]));
        Assert.Empty(engine.OnDecisions([Fixtures.High("t-x", "c-2", t0 + 30 * Minute)]));
        var raised = engine.OnDecisions([Fixtures.High("t-3", "c-1", t0 + 59 * Minute)]);

        var alert = Assert.Single(raised);
        Assert.Equal(("burst", "c-1", $"burst:c-1:{t0}", 3d, 3d), (alert.Rule, alert.Subject, alert.DedupeKey, alert.Value!.Value, alert.Threshold!.Value));
        Assert.Equal("t-3", alert.TransactionId);
    }

    [Fact]
    public async Task HIGH_decisions_an_hour_or_more_apart_do_not_count_together()
    {
        var time = Fixtures.Clock();
        await using var engine = Fixtures.Engine(_data.Path, PerCustomer(count: 3, within: "1h"), time);
        var t0 = Fixtures.StartMs;

        // The window is half-open: three decisions spanning exactly one hour are not within it.
        var raised = engine.OnDecisions([Fixtures.High("t-1", "c-1", t0), Fixtures.High("t-2", "c-1", t0 + 30 * Minute), Fixtures.High("t-3", "c-1", t0 + 60 * Minute)]);

        Assert.Empty(raised);
    }

    [Fact]
    public async Task A_decision_late_in_log_order_is_counted_at_its_event_time()
    {
        var time = Fixtures.Clock();
        await using var engine = Fixtures.Engine(_data.Path, PerCustomer(count: 3, within: "10m"), time);
        var t0 = Fixtures.StartMs;

        // Arrival order 0, 12, 9 (minutes): the late one at 9 makes 3 within [0, 10) only with the one at 0 if 12 is
        // out, so no; then one at 5 arrives late too and completes 0, 5, 9.
        Assert.Empty(engine.OnDecisions([Fixtures.High("t-1", "c-1", t0), Fixtures.High("t-2", "c-1", t0 + 12 * Minute), Fixtures.High("t-3", "c-1", t0 + 9 * Minute)]));
        var alert = Assert.Single(engine.OnDecisions([Fixtures.High("t-4", "c-1", t0 + 5 * Minute)]));

        Assert.Equal($"burst:c-1:{t0}", alert.DedupeKey);
    }

    [Fact]
    public async Task A_run_of_HIGH_decisions_raises_once_and_a_new_run_after_a_gap_raises_again()
    {
        var time = Fixtures.Clock();
        await using var engine = Fixtures.Engine(_data.Path, PerCustomer(count: 2, within: "10m"), time);
        var t0 = Fixtures.StartMs;

        var first = engine.OnDecisions([Fixtures.High("t-1", "c-1", t0), Fixtures.High("t-2", "c-1", t0 + Minute), Fixtures.High("t-3", "c-1", t0 + 2 * Minute)]);
        var gap = engine.OnDecisions([Fixtures.High("t-4", "c-1", t0 + 30 * Minute)]);
        var second = engine.OnDecisions([Fixtures.High("t-5", "c-1", t0 + 31 * Minute)]);

        Assert.Equal([$"burst:c-1:{t0}"], first.Select(a => a.DedupeKey));
        Assert.Empty(gap);
        Assert.Equal([$"burst:c-1:{t0 + 30 * Minute}"], second.Select(a => a.DedupeKey));
    }

    [Fact]
    public void The_per_entity_count_forgets_entities_whose_decisions_are_older_than_the_window_and_the_lateness()
    {
        var runs = new HighDecisionRuns(count: 3, withinMs: 10 * Minute, latenessMs: 5 * Minute);
        var t0 = Fixtures.StartMs;
        for (var i = 0; i < 1000; i++)
            runs.Add("c-" + i, t0 + i);

        // At 14 min a decision as late as 9 min may still come, and fall within 10 min of the thousand: all kept.
        runs.Add("c-recent", t0 + 14 * Minute);
        Assert.Equal(1001, runs.TrackedEntities);

        // At 25 min none may come before 20 min any more, and nothing within 10 min of the thousand: they go.
        runs.Add("c-latest", t0 + 25 * Minute);
        Assert.Equal(2, runs.TrackedEntities);
    }

    [Fact]
    public async Task A_merchant_rule_counts_HIGH_decisions_by_destination()
    {
        var time = Fixtures.Clock();
        var rules = Fixtures.Rules("rules:\n  - name: hot_merchant\n    kind: high_decisions_per_entity\n    entity: merchant\n    count: 2\n    within: 1h\n");
        await using var engine = Fixtures.Engine(_data.Path, rules, time);

        var raised = engine.OnDecisions([Fixtures.High("t-1", "c-1", Fixtures.StartMs, merchant: "m-9"), Fixtures.High("t-2", "c-2", Fixtures.StartMs + 1, merchant: "m-9")]);

        Assert.Equal(["m-9"], raised.Select(a => a.Subject));
    }

    [Fact]
    public async Task A_feature_above_its_threshold_raises_from_the_feature_vector_or_else_the_explanation()
    {
        var time = Fixtures.Clock();
        var rules = Fixtures.Rules("rules:\n  - name: big_sum\n    kind: feature_above\n    feature: txn_amount_sum_1h\n    threshold: 50000\n");
        await using var engine = Fixtures.Engine(_data.Path, rules, time);
        var explained = Fixtures.Decision("t-3", "c-3", RiskLevel.High, Fixtures.StartMs, contributions: [new("txn_amount_sum_1h", 70000, 0.3)]);

        var raised = engine.OnDecisions(
        [
            new DecisionInput(Fixtures.Decision("t-1", "c-1", RiskLevel.Low, Fixtures.StartMs), Vector(60000)),
            new DecisionInput(Fixtures.Decision("t-2", "c-2", RiskLevel.Low, Fixtures.StartMs), Vector(50000)),
            new DecisionInput(explained),
            new DecisionInput(Fixtures.Decision("t-4", "c-4", RiskLevel.High, Fixtures.StartMs)),
        ]);

        Assert.Equal([("t-1", 60000d), ("t-3", 70000d)], raised.Select(a => (a.TransactionId!, a.Value!.Value)));
        Assert.All(raised, a => Assert.Equal(["txn_amount_sum_1h"], a.Signals));
    }

    [Fact]
    public async Task A_feature_rule_with_a_minimum_level_skips_decisions_below_it()
    {
        var time = Fixtures.Clock();
        var rules = Fixtures.Rules("rules:\n  - name: big_sum\n    kind: feature_above\n    feature: f\n    threshold: 1\n    min_level: high\n");
        await using var engine = Fixtures.Engine(_data.Path, rules, time);

        var raised = engine.OnDecisions(
        [
            new DecisionInput(Fixtures.Decision("t-1", "c-1", RiskLevel.Medium, Fixtures.StartMs), Vector(5, "f")),
            new DecisionInput(Fixtures.Decision("t-2", "c-1", RiskLevel.High, Fixtures.StartMs), Vector(5, "f")),
        ]);

        Assert.Equal(["t-2"], raised.Select(a => a.TransactionId));
    }

    private static AlertRuleSet PerCustomer(int count, string within) => Fixtures.Rules(
        $"rules:\n  - name: burst\n    kind: high_decisions_per_entity\n    count: {count}\n    within: {within}\n");

    private static Dictionary<string, double> Vector(double value, string name = "txn_amount_sum_1h") => new() { [name] = value, ["other"] = 1 };
}
