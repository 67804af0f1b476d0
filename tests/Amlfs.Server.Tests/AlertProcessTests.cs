using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Amlfs.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Amlfs.Server.Tests;

/// <summary>Alerts in the real program: raised from a streamed decision, kept in the outbox through a SIGKILL, delivered once after the restart.</summary>
[Trait("Category", "Process")]
public sealed class AlertProcessTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task An_alert_raised_before_a_kill_is_delivered_to_the_webhook_after_the_restart_once()
    {
        await using var webhook = await Webhook.StartAsync();
        var rules = _directory.File("alerts.yaml");
        await File.WriteAllTextAsync(rules, $"""
            channels:
              - name: hook
                type: webhook
                url: {webhook.Url}
                attempts: 100
                backoff: 200ms
                max_backoff: 1s
            rules:
              - name: high_risk_decision
                kind: high_decision
                level: warning
                throttle: 1h
                channels: [hook]
            """);
        var data = _directory.File("data");
        string? key;
        using (var first = await AmlfsProcess.StartAsync(data, "--alerts", rules))
        {
            using var client = first.CreateClient();
            var now = DateTimeOffset.UtcNow.AddSeconds(-30);
            // A burst from four IPs ending in R$ 12,500: the rules model decides some of it HIGH, and the rule's throttle
            // makes that one alert about the customer.
            var burst = Enumerable.Range(0, 8).Select(i => Body($"B{i}", 2_900m, now.AddSeconds(-200 + (i * 20)), $"10.0.0.{i % 4}"))
                .Append(Body("B-LAST", 12_500m, now, "10.0.0.9"));
            using var response = await client.PostAsync(new Uri("/transactions", UriKind.Relative),
                new StringContent("[" + string.Join(",", burst) + "]", Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();

            // The webhook refuses for now: the alert is raised, attempted, and pending in the outbox when the kill comes.
            key = await webhook.FirstAttemptAsync(TimeSpan.FromSeconds(60));
            first.Kill();
        }

        Assert.StartsWith("high_risk_decision:", key, StringComparison.Ordinal);
        webhook.Accept();
        using (var second = await AmlfsProcess.StartAsync(data, "--alerts", rules))
        {
            var delivered = await webhook.FirstAcceptedAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(key, delivered);
            // Still running, and nothing is sent again once delivered.
            using var client = second.CreateClient();
            // The outbox records the delivery once the webhook has answered; /metrics counts it from there.
            const string Delivered = "amlfs_alerts_total{rule=\"high_risk_decision\",channel=\"hook\",outcome=\"delivered\"} 1";
            var metrics = "";
            for (var waited = 0; waited < 300 && !metrics.Contains(Delivered, StringComparison.Ordinal); waited++)
            {
                await Task.Delay(100);
                metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            }

            var alertLines = string.Join(" | ", metrics.Split('\n').Where(l => l.StartsWith("amlfs_alerts", StringComparison.Ordinal)));
            Assert.True(metrics.Contains(Delivered, StringComparison.Ordinal), alertLines);
            await second.InterruptCleanlyAsync();
        }

        Assert.Single(webhook.Accepted, k => k == key);
    }

    private static string Body(string id, decimal amount, DateTimeOffset at, string ip) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"transaction_id":"{{id}}","customer_id":"CUST_BURST","merchant_id":"MERCH_1","amount":{{amount}},"timestamp":"{{at:O}}","ip_address":"{{ip}}"}""");

    /// <summary>A webhook receiver on a real port that refuses (503) until told to accept, recording each request's dedupe key.</summary>
    private sealed class Webhook : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly TaskCompletionSource<string> _attempted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<string> _accepted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile bool _accept;

        private Webhook(WebApplication app) => _app = app;

        public Uri Url => new(_app.Urls.First() + "/hook");

        public ConcurrentQueue<string> Accepted { get; } = new();

        public static async Task<Webhook> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var webhook = new Webhook(app);
            app.MapPost("/hook", (HttpRequest request) =>
            {
                var key = request.Headers["Idempotency-Key"].ToString();
                webhook._attempted.TrySetResult(key);
                if (!webhook._accept)
                    return Results.StatusCode(503);
                webhook.Accepted.Enqueue(key);
                webhook._accepted.TrySetResult(key);
                return Results.Ok();
            });
            await app.StartAsync();
            return webhook;
        }

        public void Accept() => _accept = true;

        public Task<string> FirstAttemptAsync(TimeSpan timeout) => _attempted.Task.WaitAsync(timeout);

        public Task<string> FirstAcceptedAsync(TimeSpan timeout) => _accepted.Task.WaitAsync(timeout);

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
