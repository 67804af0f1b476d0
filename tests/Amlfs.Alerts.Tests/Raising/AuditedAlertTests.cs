using Amlfs.Alerts.Delivery;
using Amlfs.Alerts.Raising;
using Amlfs.Alerts.Rules;
using Amlfs.Audit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Amlfs.Alerts.Tests.Raising;

/// <summary>Each alert the engine raises is recorded in the audit trail; one it does not raise (a duplicate) is not.</summary>
public sealed class AuditedAlertTests : IDisposable
{
    private static readonly AlertRuleSet Rules = Fixtures.Rules("rules:\n  - name: high\n    kind: high_decision\n");
    private readonly TestDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Each_alert_raised_is_recorded_with_its_decision_and_a_duplicate_is_not()
    {
        var time = Fixtures.Clock();
        var audit = new AuditLog(_data.Path, time);
        await using var engine = Open(time, audit);

        engine.OnDecisions([Fixtures.High("t-1", "c-1", Fixtures.StartMs), Fixtures.High("t-2", "c-2", Fixtures.StartMs)]);
        engine.OnDecisions([Fixtures.High("t-1", "c-1", Fixtures.StartMs)]);

        var records = AuditReader.Records(_data.Path).Select(r => r.Record).ToArray();
        Assert.Equal([("system", "alert.raised", "high:c-1"), ("system", "alert.raised", "high:c-2")], records.Select(r => (r.Actor, r.Action, r.Subject)));
        Assert.Equal(
            ["alert=1", "dedupe_key=high:t-1", "entity=c-1", "level=warning", "model_version=rules-v1", "risk_level=HIGH", "rule=high", "score=0.9", "transaction_id=t-1"],
            records[0].Details.Where(d => d.Key is not ("value" or "threshold")).Select(d => d.Key + "=" + d.Value).Order(StringComparer.Ordinal));
        Assert.True(AuditVerifier.Verify(_data.Path).Intact);
    }

    [Fact]
    public async Task An_alert_whose_record_cannot_be_written_is_still_raised()
    {
        await using var engine = Open(Fixtures.Clock(), new FailingTrail());

        var raised = engine.OnDecisions([Fixtures.High("t-1", "c-1", Fixtures.StartMs)]);

        Assert.Equal("t-1", Assert.Single(raised).TransactionId);
    }

    private AlertEngine Open(TimeProvider time, IAuditTrail audit) =>
        AlertEngine.Open(
            new AlertEngineOptions { DataDirectory = _data.Path, DeliverInBackground = false },
            Rules, new Dictionary<string, IAlertChannel>(), time, NullLoggerFactory.Instance, new Random(7), audit);

    private sealed class FailingTrail : IAuditTrail
    {
        public void Record(string actor, string action, string subject, IReadOnlyDictionary<string, string?>? details = null) =>
            throw new IOException("disk full");
    }
}
