using Amlfs.Alerts.Rules;
using Amlfs.Scoring;

namespace Amlfs.Alerts.Tests.Rules;

public sealed class AlertRulesReaderTests
{
    private const string Full = """
        channels:
          - name: ops
            type: webhook
            url: http://127.0.0.1:9/hook
            format: slack
            attempts: 4
            backoff: 2s
            max_backoff: 1m
          - name: compliance
            type: email
            host: smtp.bank.example
            port: 587
            security: starttls
            from: amlfs@bank.example
            to: [compliance@bank.example, aml@bank.example]
            username: amlfs
            password_env: AMLFS_SMTP_PASSWORD
        defaults:
          channels: [ops]
          throttle: 5m
        rules:
          - name: high
            kind: high_decision
          - name: burst
            kind: high_decisions_per_entity
            entity: merchant
            count: 5
            within: 10m
            level: critical
            channels: [ops, compliance]
            typology: burst
          - name: big_sum
            kind: feature_above
            feature: txn_amount_sum_1h
            threshold: 50000
            min_level: medium
            throttle: 0s
          - name: slow
            kind: predict_p99_above
            threshold: 50ms
            for: 1m
          - name: rejected
            kind: rejected_share_above
            threshold: 5%
          - name: store
            kind: component_unavailable
            component: online_store
          - name: drift
            kind: psi_above
            feature: score
        """;

    [Fact]
    public void A_file_with_every_kind_of_rule_and_both_channels_reads_into_its_settings()
    {
        var rules = Fixtures.Rules(Full);

        Assert.Equal(["high", "burst", "big_sum", "slow", "rejected", "store", "drift"], rules.Rules.Select(r => r.Name));
        var ops = rules.Channel("ops")!;
        Assert.Equal((AlertChannelType.Webhook, WebhookFormat.Slack, 4), (ops.Type, ops.Format, ops.Retry.Attempts));
        Assert.Equal((TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(1)), (ops.Retry.Backoff, ops.Retry.MaxBackoff));
        var mail = rules.Channel("compliance")!;
        Assert.Equal(("smtp.bank.example", 587, EmailSecurity.StartTls), (mail.Host, mail.Port, mail.Security));
        Assert.Equal(["compliance@bank.example", "aml@bank.example"], mail.To);
        Assert.Equal("AMLFS_SMTP_PASSWORD", mail.PasswordVariable);

        var high = rules.Rules[0];
        Assert.Equal((AlertLevel.Warning, TimeSpan.FromMinutes(5)), (high.Level, high.Throttle));
        Assert.Equal(["ops"], high.Channels);
        var burst = rules.Rules[1];
        Assert.Equal((AlertEntity.Merchant, 5, TimeSpan.FromMinutes(10), AlertLevel.Critical), (burst.Entity, burst.Count, burst.Within, burst.Level));
        Assert.Equal(["ops", "compliance"], burst.Channels);
        Assert.Equal("burst", burst.Typology);
        var bigSum = rules.Rules[2];
        Assert.Equal(("txn_amount_sum_1h", 50000d, RiskLevel.Medium, TimeSpan.Zero), (bigSum.Feature, bigSum.Threshold, bigSum.MinLevel, bigSum.Throttle));
        Assert.Equal((0.05, TimeSpan.FromMinutes(1)), (rules.Rules[3].Threshold, rules.Rules[3].For));
        Assert.Equal(0.05, rules.Rules[4].Threshold, 12);
        Assert.Equal("online_store", rules.Rules[5].Component);
        Assert.Equal(("score", 0.2), (rules.Rules[6].Feature, rules.Rules[6].Threshold));
    }

    [Fact]
    public void The_built_in_rules_read_without_channels_and_with_the_defaults_of_the_issue()
    {
        var rules = AlertRuleSet.Default;

        Assert.Empty(rules.Channels);
        Assert.All(rules.Rules, r => Assert.Empty(r.Channels));
        var byKind = rules.Rules.ToLookup(r => r.Kind);
        Assert.Single(byKind[AlertRuleKind.HighDecision]);
        Assert.Equal((3, TimeSpan.FromHours(1)), (byKind[AlertRuleKind.HighDecisionsPerEntity].Single().Count, byKind[AlertRuleKind.HighDecisionsPerEntity].Single().Within));
        Assert.Equal((0.05, TimeSpan.FromMinutes(1)), (byKind[AlertRuleKind.PredictP99Above].Single().Threshold, byKind[AlertRuleKind.PredictP99Above].Single().For));
        Assert.Equal(30, byKind[AlertRuleKind.EngineLagAbove].Single().Threshold);
        Assert.Equal(0.05, byKind[AlertRuleKind.RejectedShareAbove].Single().Threshold, 12);
        Assert.Equal(["online_store", "kafka"], byKind[AlertRuleKind.ComponentUnavailable].Select(r => r.Component));
        Assert.Equal(0.2, byKind[AlertRuleKind.PsiAbove].Single().Threshold);
    }

    [Theory]
    [InlineData("rules:\n  - name: a\n    kind: high_decision\n   level: info\n", 4, "yaml", "")]
    [InlineData("- just a list\n", 1, "file", "must be a YAML mapping")]
    [InlineData("rules:\n  - name: a\n    kind: high_decision\nrulez: []\n", 4, "rulez", "unknown key")]
    [InlineData("channels: []\n", 1, "rules", "is required")]
    [InlineData("rules:\n  - kind: high_decision\n", 2, "rules[0].name", "is required")]
    [InlineData("rules:\n  - name: Big Rule\n    kind: high_decision\n", 2, "rules[0].name", "must be a-z")]
    [InlineData("rules:\n  - name: a\n    kind: high_decision\n  - name: a\n    kind: high_decision\n", 4, "rules[1].name", "declared twice")]
    [InlineData("rules:\n  - name: a\n", 2, "rules[0].kind", "is required")]
    [InlineData("rules:\n  - name: a\n    kind: high_decisions\n", 3, "rules[0].kind", "unknown kind 'high_decisions' (one of: high_decision,")]
    [InlineData("rules:\n  - name: a\n    kind: high_decision\n    treshold: 3\n", 4, "rules[0].treshold", "unknown key for high_decision")]
    [InlineData("rules:\n  - name: a\n    kind: high_decision\n    for: 1m\n", 4, "rules[0].for", "unknown key for high_decision")]
    [InlineData("rules:\n  - name: a\n    kind: engine_lag_above\n    threshold: 30\n", 4, "rules[0].threshold", "must be a duration such as 50ms")]
    [InlineData("rules:\n  - name: a\n    kind: engine_lag_above\n    threshold: 30s\n    for: soon\n", 5, "rules[0].for", "must be a duration")]
    [InlineData("rules:\n  - name: a\n    kind: high_decisions_per_entity\n    count: 0\n    within: 1h\n", 4, "rules[0].count", "must be a whole number from 2 to 10000")]
    [InlineData("rules:\n  - name: a\n    kind: high_decisions_per_entity\n    count: 3\n", 2, "rules[0].within", "is required")]
    [InlineData("rules:\n  - name: a\n    kind: high_decisions_per_entity\n    entity: device\n    count: 3\n    within: 1h\n", 4, "rules[0].entity", "unknown entity 'device'")]
    [InlineData("rules:\n  - name: a\n    kind: feature_above\n    feature: x\n    threshold: lots\n", 5, "rules[0].threshold", "must be a number")]
    [InlineData("rules:\n  - name: a\n    kind: rejected_share_above\n    threshold: 120%\n", 4, "rules[0].threshold", "must be a share between 0 and 1")]
    [InlineData("rules:\n  - name: a\n    kind: psi_above\n    threshold: -1\n", 4, "rules[0].threshold", "must be above 0")]
    [InlineData("rules:\n  - name: a\n    kind: high_decision\n    level: urgent\n", 4, "rules[0].level", "unknown level 'urgent' (one of: info, warning, critical)")]
    [InlineData("rules:\n  - name: a\n    kind: high_decision\n    channels: [pager]\n", 4, "rules[0].channels", "unknown channel 'pager' (declared: none)")]
    [InlineData("channels:\n  - name: ops\n    type: webhook\n    url: ftp://x/y\nrules: []\n", 4, "channels[0].url", "must be an http or https address")]
    [InlineData("channels:\n  - name: ops\n    type: webhook\nrules: []\n", 2, "channels[0].url", "is required")]
    [InlineData("channels:\n  - name: ops\n    type: pager\nrules: []\n", 3, "channels[0].type", "unknown type 'pager'")]
    [InlineData("channels:\n  - name: ops\n    type: webhook\n    url: http://x/y\n    host: smtp\nrules: []\n", 5, "channels[0].host", "unknown key for webhook")]
    [InlineData("channels:\n  - name: m\n    type: email\n    host: smtp\n    from: me\n    to: [a@b.example]\nrules: []\n", 5, "channels[0].from", "must be an e-mail address")]
    [InlineData("channels:\n  - name: m\n    type: email\n    host: smtp\n    from: a@b.example\n    to: a@b.example\n    password_env: P\nrules: []\n", 7, "channels[0].password_env", "needs a username")]
    [InlineData("channels:\n  - name: ops\n    type: webhook\n    url: http://x/y\n    attempts: 0\nrules: []\n", 5, "channels[0].attempts", "must be a whole number from 1 to 100")]
    [InlineData("defaults:\n  throttle: often\nrules: []\n", 2, "defaults.throttle", "must be a duration")]
    public void A_mistake_is_reported_at_its_line_with_its_key(string yaml, int line, string field, string message)
    {
        var error = Assert.Throws<AlertRulesException>(() => Fixtures.Rules(yaml));

        var first = error.Errors[0];
        Assert.Equal(("test.yaml", line, field), (first.File, first.Line, first.Field));
        Assert.Contains(message, first.Message, StringComparison.Ordinal);
        Assert.StartsWith($"test.yaml:{line}: {field}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_mistake_of_a_file_is_reported_at_once_top_to_bottom()
    {
        const string yaml = "rules:\n  - name: a\n    kind: engine_lag_above\n    threshold: fast\n  - name: b\n    kind: nope\n  - name: c\n    kind: high_decision\n    colour: red\n";

        var error = Assert.Throws<AlertRulesException>(() => Fixtures.Rules(yaml));

        Assert.Equal([(4, "rules[0].threshold"), (6, "rules[1].kind"), (9, "rules[2].colour")], error.Errors.Select(e => (e.Line, e.Field)));
    }
}
