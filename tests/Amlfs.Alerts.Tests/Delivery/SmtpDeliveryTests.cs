using Amlfs.Alerts.Delivery;
using Amlfs.Alerts.Metrics;
using Amlfs.Scoring;
using netDumbster.smtp;

namespace Amlfs.Alerts.Tests.Delivery;

public sealed class SmtpDeliveryTests : IDisposable
{
    private readonly TestDirectory _data = new();
    private readonly HttpClient _http = new();

    public void Dispose()
    {
        _http.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task An_alert_is_mailed_to_every_recipient_with_its_title_as_subject_and_its_fields_as_body()
    {
        using var server = Configuration.Configure().WithRandomPort().Build();
        var time = Fixtures.Clock();
        var rules = Fixtures.Rules($"""
            channels:
              - name: compliance
                type: email
                host: 127.0.0.1
                port: {server.Configuration.Port}
                security: none
                from: amlfs@bank.example
                to: [compliance@bank.example, aml@bank.example]
            rules:
              - name: burst
                kind: high_decisions_per_entity
                count: 2
                within: 1h
                level: critical
                typology: burst
                channels: [compliance]
            """);
        await using var engine = Fixtures.Engine(_data.Path, rules, time, AlertChannels.Create(rules, _http, time));

        engine.OnDecisions([Fixtures.High("t-1", "c-7", Fixtures.StartMs), Fixtures.High("t-2", "c-7", Fixtures.StartMs + 1000)]);
        Assert.Equal(1, await engine.DeliverDueAsync());

        var mail = Assert.Single(server.ReceivedEmail);
        Assert.Equal("[CRITICAL] burst: 2 HIGH decisions of customer c-7 within 1h (the latest: transaction t-2)", mail.Headers["Subject"]);
        Assert.Equal(["compliance@bank.example", "aml@bank.example"], mail.ToAddresses.Select(a => a.Address));
        Assert.Equal($"burst:c-7:{Fixtures.StartMs}", mail.Headers["X-Amlfs-Dedupe-Key"]);
        var body = mail.MessageParts[0].BodyData;
        Assert.Contains("Subject: c-7", body, StringComparison.Ordinal);
        Assert.Contains("Typology: burst", body, StringComparison.Ordinal);
        Assert.Contains($"Dedupe key: burst:c-7:{Fixtures.StartMs}", body, StringComparison.Ordinal);
        Assert.Equal(1, engine.Metrics.Total(AlertCounter.Delivered, "burst", "compliance"));
    }

    [Fact]
    public async Task An_SMTP_server_that_cannot_be_reached_leaves_the_alert_pending_for_a_retry()
    {
        int port;
        using (var probe = Configuration.Configure().WithRandomPort().Build())
            port = probe.Configuration.Port;
        var time = Fixtures.Clock();
        var rules = Fixtures.Rules($"""
            channels:
              - name: compliance
                type: email
                host: 127.0.0.1
                port: {port}
                security: none
                from: amlfs@bank.example
                to: compliance@bank.example
            rules:
              - name: high
                kind: high_decision
                channels: compliance
            """);
        await using var engine = Fixtures.Engine(_data.Path, rules, time, AlertChannels.Create(rules, _http, time));

        engine.OnDecisions([Fixtures.Decision("t-1", "c-1", RiskLevel.High, Fixtures.StartMs)]);
        await engine.DeliverDueAsync();

        Assert.Equal(1, engine.PendingDeliveries);
        Assert.Equal(0, engine.Metrics.Total(AlertCounter.Delivered, "high", "compliance"));
    }

    [Fact]
    public void A_channel_whose_password_variable_is_not_set_stops_the_start()
    {
        var rules = Fixtures.Rules("""
            channels:
              - name: compliance
                type: email
                host: smtp.bank.example
                from: amlfs@bank.example
                to: compliance@bank.example
                username: amlfs
                password_env: AMLFS_TEST_UNSET_PASSWORD
            rules: []
            """);

        var error = Assert.Throws<InvalidOperationException>(() => AlertChannels.Create(rules, _http, TimeProvider.System, _ => null));

        Assert.Contains("AMLFS_TEST_UNSET_PASSWORD", error.Message, StringComparison.Ordinal);
    }
}
