using Amlfs.Alerts.Rules;
using Amlfs.Audit;
using Amlfs.Testing;

namespace Amlfs.Server.Tests;

/// <summary>Every alert the server's rules raise is recorded in the data directory's audit trail, with the decision behind it.</summary>
public sealed class AuditedAlertsTests
{
    private static readonly AlertRuleSet Rules = AlertRuleSet.Parse("""
        rules:
          - name: high_risk_decision
            kind: high_decision
            level: warning
        """);

    [Fact]
    public async Task An_alert_raised_by_the_server_leaves_an_alert_raised_record()
    {
        await using var server = await RunningServer.StartAsync(configure: s => s with { AlertRules = Rules });
        var (burst, alertId) = SuspiciousBurst.For("CUST_AUDIT", DateTimeOffset.UtcNow);
        Assert.Equal(200, (await server.PostJsonAsync("/transactions", burst)).Status);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        AuditRecord? record = null;
        while (record is null)
        {
            await Task.Delay(50, timeout.Token);
            record = AuditReader.Records(server.DataDirectory).Select(r => r.Record)
                .FirstOrDefault(r => r.Action == AuditActions.AlertRaised && r.Details.GetValueOrDefault("transaction_id") == alertId);
        }

        Assert.Equal(("system", "high_risk_decision:CUST_AUDIT"), (record.Actor, record.Subject));
        Assert.Equal("high_risk_decision:" + alertId, record.Details["dedupe_key"]);
        Assert.Equal("HIGH", record.Details["risk_level"]);
        Assert.InRange(double.Parse(record.Details["score"]!, System.Globalization.CultureInfo.InvariantCulture), 0.6, 1.0);
        Assert.True(AuditVerifier.Verify(server.DataDirectory).Intact);
    }
}
