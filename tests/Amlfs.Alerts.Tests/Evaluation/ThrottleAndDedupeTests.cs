using Amlfs.Alerts.Metrics;
using Amlfs.Alerts.Rules;
using Amlfs.Scoring;

namespace Amlfs.Alerts.Tests.Evaluation;

public sealed class ThrottleAndDedupeTests : IDisposable
{
    private readonly TestDirectory _data = new();

    public void Dispose() => _data.Dispose();

    private static AlertRuleSet Throttled => Fixtures.Rules("rules:\n  - name: high\n    kind: high_decision\n    throttle: 10m\n");

    [Fact]
    public async Task A_rule_throttles_alerts_about_the_same_subject_within_its_window_and_counts_them()
    {
        var time = Fixtures.Clock();
        await using var engine = Fixtures.Engine(_data.Path, Throttled, time);
        var t = Fixtures.StartMs;

        var first = engine.OnDecisions([Fixtures.High("t-1", "c-1", t), Fixtures.High("t-2", "c-1", t), Fixtures.High("t-3", "c-2", t)]);
        time.Advance(TimeSpan.FromMinutes(9));
        var within = engine.OnDecisions([Fixtures.High("t-4", "c-1", t)]);
        time.Advance(TimeSpan.FromMinutes(1));
        var after = engine.OnDecisions([Fixtures.High("t-5", "c-1", t)]);

        Assert.Equal(["t-1", "t-3"], first.Select(a => a.TransactionId));
        Assert.Empty(within);
        Assert.Equal(["t-5"], after.Select(a => a.TransactionId));
        Assert.Equal(2, engine.Metrics.Total(AlertCounter.Throttled, "high"));
        Assert.Equal(3, engine.Metrics.Total(AlertCounter.Raised, "high"));
    }

    [Fact]
    public async Task A_decision_seen_again_is_not_raised_again()
    {
        var time = Fixtures.Clock();
        await using var engine = Fixtures.Engine(_data.Path, Fixtures.Rules("rules:\n  - name: high\n    kind: high_decision\n"), time);
        var decision = Fixtures.High("t-1", "c-1", Fixtures.StartMs);

        var first = engine.OnDecisions([decision]);
        time.Advance(TimeSpan.FromHours(1));
        var replayed = engine.OnDecisions([decision, decision]);

        Assert.Single(first);
        Assert.Empty(replayed);
        Assert.Equal(0, engine.Metrics.Total(AlertCounter.Throttled, "high"));
    }

    [Fact]
    public async Task Dedupe_keys_and_throttles_hold_across_a_restart()
    {
        var time = Fixtures.Clock();
        await using (var engine = Fixtures.Engine(_data.Path, Throttled, time))
            engine.OnDecisions([Fixtures.High("t-1", "c-1", Fixtures.StartMs)]);

        time.Advance(TimeSpan.FromMinutes(5));
        await using var restarted = Fixtures.Engine(_data.Path, Throttled, time);
        var replayed = restarted.OnDecisions([Fixtures.High("t-1", "c-1", Fixtures.StartMs)]);
        var throttled = restarted.OnDecisions([Fixtures.High("t-2", "c-1", Fixtures.StartMs)]);
        var other = restarted.OnDecisions([Fixtures.Decision("t-3", "c-2", RiskLevel.High, Fixtures.StartMs)]);

        Assert.Empty(replayed);
        Assert.Empty(throttled);
        Assert.Equal(1, restarted.Metrics.Total(AlertCounter.Throttled, "high"));
        Assert.Equal([2L], other.Select(a => a.Sequence));
    }

    [Fact]
    public async Task A_dedupe_key_older_than_the_retention_is_raised_again()
    {
        var time = Fixtures.Clock();
        var rules = Fixtures.Rules("rules:\n  - name: high\n    kind: high_decision\n");
        await using var engine = Fixtures.Engine(_data.Path, rules, time);
        var decision = Fixtures.High("t-1", "c-1", Fixtures.StartMs);

        engine.OnDecisions([decision]);
        time.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMilliseconds(1));
        var again = engine.OnDecisions([decision]);

        Assert.Single(again);
    }
}
