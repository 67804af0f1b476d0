using System.Text.Json;
using Amlfs.Alerts.Rules;
using Amlfs.Testing;

namespace Amlfs.Server.Tests;

/// <summary>The dashboard's alert list holds what the alert rules raised, beside the newest decisions, under the same filters.</summary>
public sealed class RaisedAlertsApiTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static readonly AlertRuleSet Rules = AlertRuleSet.Parse("""
        rules:
          - name: high_risk_decision
            kind: high_decision
            level: warning
          - name: stale_engine
            kind: engine_lag_above
            threshold: 1s
            for: 1s
            level: critical
        """);

    [Fact]
    public async Task The_alert_list_shows_what_the_rules_raised_and_links_each_decision_alert_to_its_decision()
    {
        await using var server = await RunningServer.StartAsync(configure: s => s with { AlertRules = Rules });
        var (burst, alertId) = SuspiciousBurst.For("CUST_RULES", DateTimeOffset.UtcNow);
        Assert.Equal(200, (await server.PostJsonAsync("/transactions", burst)).Status);

        // The decision rule raises an alert about the HIGH decision; the engine's lag then grows past a second, as no
        // transaction follows, and the system rule raises one too.
        var list = await WaitForAsync(server, "/dashboard/api/alerts", body =>
            Raised(body).Any(a => Text(a, "transaction_id") == alertId)
            && Raised(body).Any(a => a.GetProperty("rule").GetString() == "stale_engine"));
        Assert.True(list.GetProperty("rules_enabled").GetBoolean());
        var decisionAlert = Raised(list).Single(a => a.GetProperty("rule").GetString() == "high_risk_decision" && Text(a, "transaction_id") == alertId);
        Assert.Equal("high_decision", decisionAlert.GetProperty("kind").GetString());
        Assert.Equal("warning", decisionAlert.GetProperty("severity").GetString());
        Assert.Equal("CUST_RULES", decisionAlert.GetProperty("subject").GetString());
        Assert.Equal("HIGH", decisionAlert.GetProperty("level").GetString());
        Assert.Equal("amount", decisionAlert.GetProperty("signal").GetString());
        Assert.Equal("recorded", decisionAlert.GetProperty("delivery").GetString()); // the rule names no channel
        Assert.Contains(alertId, decisionAlert.GetProperty("message").GetString(), StringComparison.Ordinal);
        var systemAlert = Raised(list).First(a => a.GetProperty("rule").GetString() == "stale_engine");
        Assert.Equal(("critical", null, null), (systemAlert.GetProperty("severity").GetString(), Text(systemAlert, "transaction_id"), Text(systemAlert, "level")));
        Assert.True(list.GetProperty("raised_held").GetInt32() >= 2);
        Assert.Equal(Raised(list).Select(a => a.GetProperty("sequence").GetInt64()).OrderDescending(), Raised(list).Select(a => a.GetProperty("sequence").GetInt64()));

        // The filters: the level applies to alerts about a decision, the model and the signal to alerts that name one.
        var low = (await server.GetJsonAsync("/dashboard/api/alerts?level=LOW")).Body;
        Assert.DoesNotContain(Raised(low), a => a.GetProperty("rule").GetString() == "high_risk_decision");
        Assert.Contains(Raised(low), a => a.GetProperty("rule").GetString() == "stale_engine");
        var byModel = (await server.GetJsonAsync("/dashboard/api/alerts?model=rules-1")).Body;
        Assert.NotEmpty(Raised(byModel));
        Assert.All(Raised(byModel), a => Assert.Equal("high_risk_decision", a.GetProperty("rule").GetString()));
        Assert.Empty(Raised((await server.GetJsonAsync("/dashboard/api/alerts?model=gbt-7")).Body));
        Assert.Contains(Raised((await server.GetJsonAsync("/dashboard/api/alerts?signal=amount")).Body), a => a.GetProperty("rule").GetString() == "high_risk_decision");
        Assert.Empty(Raised((await server.GetJsonAsync("/dashboard/api/alerts?signal=graph")).Body));
        Assert.Single(Raised((await server.GetJsonAsync("/dashboard/api/alerts?level=all&limit=1")).Body));

        // The alert's decision opens, with the transaction's time that the page's link carries.
        var at = Uri.EscapeDataString(decisionAlert.GetProperty("event_time").GetString()!);
        var (status, decision) = await server.GetJsonAsync($"/dashboard/api/decisions/{alertId}?at={at}");
        Assert.Equal(200, status);
        Assert.Equal(alertId, decision.GetProperty("decision").GetProperty("transaction_id").GetString());

    }

    private static List<JsonElement> Raised(JsonElement alerts) => [.. alerts.GetProperty("raised").EnumerateArray()];

    /// <summary>A text field of an alert; null when the alert has none (nulls are left out of the answer).</summary>
    private static string? Text(JsonElement alert, string name) => alert.TryGetProperty(name, out var value) ? value.GetString() : null;

    /// <summary>Reads <paramref name="path"/> until its answer satisfies <paramref name="done"/>, within <see cref="Patience"/>.</summary>
    private static async Task<JsonElement> WaitForAsync(RunningServer server, string path, Func<JsonElement, bool> done)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var (status, body) = await server.GetJsonAsync(path);
            Assert.Equal(200, status);
            if (done(body))
                return body;
            await Task.Delay(100, timeout.Token);
        }
    }
}
