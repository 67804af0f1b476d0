using System.Text.Json;
using Amlfs.Alerts.Delivery;
using Amlfs.Alerts.Metrics;
using Amlfs.Alerts.Queries;
using Amlfs.Alerts.Rules;
using Amlfs.Scoring;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Alerts.Tests.Delivery;

public sealed class WebhookDeliveryTests : IDisposable
{
    private readonly TestDirectory _data = new();
    private readonly HttpClient _http = new();

    public void Dispose()
    {
        _http.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task A_webhook_receives_the_alert_as_JSON_with_its_dedupe_key()
    {
        await using var listener = await WebhookListener.StartAsync();
        var time = Fixtures.Clock();
        var rules = Rules(listener.Url, "json");
        await using var engine = Fixtures.Engine(_data.Path, rules, time, AlertChannels.Create(rules, _http, time));

        engine.OnDecisions([Fixtures.Decision("t-1", "c-1", RiskLevel.High, Fixtures.StartMs, score: 0.93, contributions: [new("amount", 12000, 0.6)])]);
        Assert.Equal(1, await engine.DeliverDueAsync());

        var received = Assert.Single(listener.Requests);
        Assert.Equal("application/json; charset=utf-8", received.ContentType);
        Assert.Equal("high:t-1", received.IdempotencyKey);
        using var json = JsonDocument.Parse(received.Body);
        var root = json.RootElement;
        Assert.Equal("high", root.GetProperty("rule").GetString());
        Assert.Equal("high_decision", root.GetProperty("kind").GetString());
        Assert.Equal("critical", root.GetProperty("level").GetString());
        Assert.Equal("high:t-1", root.GetProperty("dedupe_key").GetString());
        Assert.Equal("c-1", root.GetProperty("customer_id").GetString());
        Assert.Equal("high", root.GetProperty("risk_level").GetString());
        Assert.Equal(0.93, root.GetProperty("score").GetDouble());
        Assert.Equal("amount", root.GetProperty("signals")[0].GetString());
        Assert.Equal(1, engine.Metrics.Total(AlertCounter.Delivered, "high", "ops"));
        Assert.Equal(0, engine.PendingDeliveries);
    }

    [Fact]
    public async Task A_slack_webhook_receives_text_and_blocks()
    {
        await using var listener = await WebhookListener.StartAsync();
        var time = Fixtures.Clock();
        var rules = Rules(listener.Url, "slack");
        await using var engine = Fixtures.Engine(_data.Path, rules, time, AlertChannels.Create(rules, _http, time));

        engine.OnDecisions([Fixtures.High("t-<1>", "c-1", Fixtures.StartMs)]);
        await engine.DeliverDueAsync();

        using var json = JsonDocument.Parse(Assert.Single(listener.Requests).Body);
        var root = json.RootElement;
        Assert.Equal("[CRITICAL] high: HIGH decision for customer c-1: transaction t-<1>, score 0.9, model rules-v1", root.GetProperty("text").GetString());
        var blocks = root.GetProperty("blocks").EnumerateArray().ToList();
        Assert.Equal(["header", "section", "section", "context"], blocks.Select(b => b.GetProperty("type").GetString()));
        Assert.Equal("CRITICAL high", blocks[0].GetProperty("text").GetProperty("text").GetString());
        Assert.Contains("transaction t-&lt;1&gt;", blocks[1].GetProperty("text").GetProperty("text").GetString(), StringComparison.Ordinal);
        var fields = blocks[2].GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("text").GetString()).ToList();
        Assert.Contains("*Customer*\nc-1", fields);
        Assert.Contains("`high:t-&lt;1&gt;`", blocks[3].GetProperty("elements")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_webhook_is_retried_with_back_off_until_it_accepts()
    {
        await using var listener = await WebhookListener.StartAsync(503, 500);
        var time = Fixtures.Clock();
        var rules = Rules(listener.Url, "json", attempts: 5);
        await using var engine = Fixtures.Engine(_data.Path, rules, time, AlertChannels.Create(rules, _http, time));
        var alert = Assert.Single(engine.OnDecisions([Fixtures.High("t-1", "c-1", Fixtures.StartMs)]));

        Assert.Equal(1, await engine.DeliverDueAsync());
        // The first retry is due within [0.5 s, 1 s]: not before half a second.
        time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Equal(0, await engine.DeliverDueAsync());
        time.Advance(TimeSpan.FromMilliseconds(501));
        Assert.Equal(1, await engine.DeliverDueAsync());
        var waiting = engine.Recent.Find(alert.Sequence)!.Deliveries.Single();
        // The second within [1 s, 2 s].
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await engine.DeliverDueAsync());

        Assert.Equal(3, listener.Requests.Count);
        Assert.All(listener.Requests, r => Assert.Equal("high:t-1", r.IdempotencyKey));
        Assert.Equal((DeliveryStatus.Pending, 2, "HTTP 500 Internal Server Error"), (waiting.Status, waiting.Attempts, waiting.LastError));
        var delivered = engine.Recent.Find(alert.Sequence)!.Deliveries.Single();
        Assert.Equal((DeliveryStatus.Delivered, 3), (delivered.Status, delivered.Attempts));
        Assert.Equal(1, engine.Metrics.Total(AlertCounter.Delivered, "high", "ops"));
        Assert.Equal(0, engine.Metrics.Total(AlertCounter.Failed, "high", "ops"));
    }

    [Fact]
    public async Task A_webhook_that_keeps_failing_is_given_up_after_its_attempts()
    {
        await using var listener = await WebhookListener.StartAsync(503, 503, 503, 503);
        var time = Fixtures.Clock();
        var rules = Rules(listener.Url, "json", attempts: 3);
        await using var engine = Fixtures.Engine(_data.Path, rules, time, AlertChannels.Create(rules, _http, time));
        var alert = Assert.Single(engine.OnDecisions([Fixtures.High("t-1", "c-1", Fixtures.StartMs)]));

        for (var i = 0; i < 5; i++)
        {
            await engine.DeliverDueAsync();
            time.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.Equal(3, listener.Requests.Count);
        var failed = engine.Recent.Find(alert.Sequence)!.Deliveries.Single();
        Assert.Equal((DeliveryStatus.Failed, 3), (failed.Status, failed.Attempts));
        Assert.Equal(1, engine.Metrics.Total(AlertCounter.Failed, "high", "ops"));
        Assert.Equal(0, engine.PendingDeliveries);
    }

    [Fact]
    public async Task A_webhook_that_refuses_the_request_is_not_retried()
    {
        await using var listener = await WebhookListener.StartAsync(400);
        var time = Fixtures.Clock();
        var rules = Rules(listener.Url, "json");
        await using var engine = Fixtures.Engine(_data.Path, rules, time, AlertChannels.Create(rules, _http, time));

        engine.OnDecisions([Fixtures.High("t-1", "c-1", Fixtures.StartMs)]);
        await engine.DeliverDueAsync();
        time.Advance(TimeSpan.FromMinutes(10));
        await engine.DeliverDueAsync();

        Assert.Single(listener.Requests);
        Assert.Equal(1, engine.Metrics.Total(AlertCounter.Failed, "high", "ops"));
    }

    [Fact]
    public async Task The_background_task_delivers_an_alert_as_soon_as_it_is_raised()
    {
        await using var listener = await WebhookListener.StartAsync();
        var time = new FakeTimeProvider(Fixtures.Start);
        var rules = Rules(listener.Url, "json");
        await using var engine = Fixtures.Engine(_data.Path, rules, time, AlertChannels.Create(rules, _http, time), background: true);

        engine.OnDecisions([Fixtures.High("t-1", "c-1", Fixtures.StartMs)]);
        var received = await listener.FirstAccepted.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("high:t-1", received.IdempotencyKey);
    }

    private static AlertRuleSet Rules(Uri url, string format, int attempts = 6) => Fixtures.Rules($"""
        channels:
          - name: ops
            type: webhook
            url: {url}
            format: {format}
            attempts: {attempts}
            backoff: 1s
            max_backoff: 10s
        rules:
          - name: high
            kind: high_decision
            level: critical
            channels: [ops]
        """);
}
