using System.Text.Json;
using Amlfs.Alerts.Rules;
using Amlfs.Engine;
using Amlfs.Parquet.Labels;
using Amlfs.Parquet.Training;
using Amlfs.Registry;
using Amlfs.Testing;

namespace Amlfs.Server.Tests;

/// <summary>
/// Cases through a real server on a real port: alerts open and join them, analysts move them through the API, and a
/// case closed as laundering labels its decisions for the next training set.
/// </summary>
public sealed class CasesApiTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Every HIGH decision alerts, unthrottled, so that each suspicious transaction is an alert of its customer.</summary>
    private static readonly AlertRuleSet Rules = AlertRuleSet.Parse("""
        rules:
          - name: high_risk_decision
            kind: high_decision
            level: warning
            typology: burst
        """);

    [Fact]
    public async Task An_alert_opens_a_case_a_second_alert_joins_it_and_after_closing_the_next_alert_opens_a_new_case()
    {
        await using var server = await RunningServer.StartAsync(configure: s => s with { AlertRules = Rules });
        var now = DateTimeOffset.UtcNow;
        var (burst, alertId) = SuspiciousBurst.For("CUST_CASE", now.AddSeconds(-30));
        Assert.Equal(200, (await server.PostJsonAsync("/transactions", burst)).Status);

        var opened = await WaitForCaseAsync(server, "CUST_CASE", c => Alerts(c).Any(a => a.GetProperty("transaction_id").GetString() == alertId));
        var id = opened.GetProperty("id").GetString()!;
        Assert.Matches("^CASE-[0-9]{6}$", id);
        Assert.Equal(("open", "customer"), (opened.GetProperty("status").GetString(), opened.GetProperty("entity_type").GetString()));
        var alert = Alerts(opened).Single(a => a.GetProperty("transaction_id").GetString() == alertId);
        Assert.Equal(("HIGH", "rules-1", "burst"), (alert.GetProperty("level").GetString(), alert.GetProperty("model_version").GetString(), alert.GetProperty("typology").GetString()));
        Assert.NotEmpty(alert.GetProperty("contributions").EnumerateArray()); // the decision's explanation, kept with the case
        Assert.Equal("opened", opened.GetProperty("history")[0].GetProperty("kind").GetString());
        Assert.Equal("system", opened.GetProperty("history")[0].GetProperty("actor").GetString());

        // A second alert of the customer joins the same case.
        var second = Requests.Transaction("CUST_CASE-second", "CUST_CASE", 13_000m, now.AddSeconds(-10), "MERCH_9", "177.20.9.98");
        Assert.Equal(200, (await server.PostJsonAsync("/transactions", second)).Status);
        var joined = await WaitForCaseAsync(server, "CUST_CASE", c => Alerts(c).Any(a => a.GetProperty("transaction_id").GetString() == "CUST_CASE-second"));
        Assert.Equal(id, joined.GetProperty("id").GetString());
        Assert.Single((await server.GetJsonAsync("/cases?entity_id=CUST_CASE")).Body.GetProperty("cases").EnumerateArray());

        // Closed, the case takes no more alerts: the next one opens a new case.
        var (status, closed) = await server.PostJsonAsync($"/cases/{id}/transitions", """{"to":"closed","disposition":"false_positive","note":"a known payroll run"}""");
        Assert.Equal(200, status);
        Assert.Equal(("closed", "false_positive"), (closed.GetProperty("status").GetString(), closed.GetProperty("disposition").GetString()));
        var third = Requests.Transaction("CUST_CASE-third", "CUST_CASE", 14_000m, now.AddSeconds(-5), "MERCH_9", "177.20.9.97");
        Assert.Equal(200, (await server.PostJsonAsync("/transactions", third)).Status);
        var reopened = await WaitForCaseAsync(server, "CUST_CASE", c => c.GetProperty("id").GetString() != id);
        Assert.Equal("open", reopened.GetProperty("status").GetString());
        Assert.Equal(["CUST_CASE-third"], Alerts(reopened).Select(a => a.GetProperty("transaction_id").GetString()));
    }

    [Fact]
    public async Task Transitions_notes_and_assignment_answer_the_case_and_bad_steps_answer_400_404_or_409()
    {
        await using var server = await RunningServer.StartAsync(configure: s => s with { AlertRules = Rules });
        var (burst, _) = SuspiciousBurst.For("CUST_STEPS", DateTimeOffset.UtcNow);
        Assert.Equal(200, (await server.PostJsonAsync("/transactions", burst)).Status);
        var id = (await WaitForCaseAsync(server, "CUST_STEPS", _ => true)).GetProperty("id").GetString()!;

        var (assigned, assignedBody) = await server.PostJsonAsync($"/cases/{id}/assignment", """{"assignee":"ana"}""");
        var (noted, notedBody) = await server.PostJsonAsync($"/cases/{id}/notes", """{"text":"asked the branch for KYC documents"}""");
        var (investigating, investigatingBody) = await server.PostJsonAsync($"/cases/{id}/transitions", """{"to":"investigating"}""");

        Assert.Equal((200, "ana"), (assigned, assignedBody.GetProperty("assignee").GetString()));
        Assert.Equal(200, noted);
        var note = notedBody.GetProperty("notes")[0];
        Assert.Equal(("asked the branch for KYC documents", "anonymous"), (note.GetProperty("text").GetString(), note.GetProperty("author").GetString()));
        Assert.Equal(("investigating", "closed"), (investigatingBody.GetProperty("status").GetString(), investigatingBody.GetProperty("allowed_transitions")[0].GetString()));

        // Back to investigating is not a transition from investigating: 409 naming the status and the allowed ones.
        var (conflict, conflictBody) = await server.PostJsonAsync($"/cases/{id}/transitions", """{"to":"investigating"}""");
        Assert.Equal(409, conflict);
        Assert.Equal(409, conflictBody.GetProperty("status").GetInt32());
        Assert.Equal("investigating", conflictBody.GetProperty("case_status").GetString());
        Assert.Equal(["closed"], conflictBody.GetProperty("allowed_transitions").EnumerateArray().Select(s => s.GetString()));
        Assert.Contains("may move to closed", conflictBody.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Bad input names the field; an unknown case is 404.
        Assert.Equal("disposition", Field(await server.PostJsonAsync($"/cases/{id}/transitions", """{"to":"closed"}""")));
        Assert.Equal("disposition", Field(await server.PostJsonAsync($"/cases/{id}/transitions", """{"to":"closed","disposition":"guilty"}""")));
        Assert.Equal("to", Field(await server.PostJsonAsync($"/cases/{id}/transitions", """{"to":"open"}""")));
        Assert.Equal("to", Field(await server.PostJsonAsync($"/cases/{id}/transitions", """{"to":7}""")));
        Assert.Equal("body", Field(await server.PostJsonAsync($"/cases/{id}/transitions", "{not json")));
        Assert.Equal("text", Field(await server.PostJsonAsync($"/cases/{id}/notes", """{"text":"  "}""")));
        Assert.Equal("status", Field(await server.GetJsonAsync("/cases?status=pending")));
        Assert.Equal("min_age", Field(await server.GetJsonAsync("/cases?min_age=soon")));
        Assert.Equal("order", Field(await server.GetJsonAsync("/cases?order=random")));
        Assert.Equal(404, (await server.GetJsonAsync("/cases/CASE-999999")).Status);
        Assert.Equal(404, (await server.GetJsonAsync("/cases/nothing")).Status);
        Assert.Equal(404, (await server.PostJsonAsync("/cases/CASE-999999/notes", """{"text":"x"}""")).Status);

        // The filters over HTTP: status, assignee, age.
        Assert.Single(Cases(await server.GetJsonAsync("/cases?status=investigating&assignee=ana")));
        Assert.Empty(Cases(await server.GetJsonAsync("/cases?status=open")));
        Assert.Empty(Cases(await server.GetJsonAsync("/cases?min_age=1d")));
        Assert.Single(Cases(await server.GetJsonAsync("/cases?max_age=1h&order=age&limit=1")));

        var (_, detail) = await server.GetJsonAsync($"/cases/{id}");
        Assert.Equal(["opened", "alert_joined", "assigned", "noted", "transitioned"],
            detail.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).Distinct());
    }

    [Fact]
    public async Task A_case_closed_as_laundering_labels_its_decisions_known_at_the_close_time_and_only_a_later_cut_off_trains_on_them()
    {
        using var dir = new TempDirectory();
        string alertId;
        long closedAtMs;
        await using (var server = await RunningServer.StartAsync(dataDirectory: dir.Path, configure: s => s with { AlertRules = Rules }))
        {
            (var burst, alertId) = SuspiciousBurst.For("CUST_LABEL", DateTimeOffset.UtcNow);
            Assert.Equal(200, (await server.PostJsonAsync("/transactions", burst)).Status);
            var id = (await WaitForCaseAsync(server, "CUST_LABEL", c => Alerts(c).Any(a => a.GetProperty("transaction_id").GetString() == alertId))).GetProperty("id").GetString()!;

            var (status, closed) = await server.PostJsonAsync($"/cases/{id}/transitions", """{"to":"closed","disposition":"laundering_confirmed"}""");
            Assert.Equal(200, status);
            Assert.True(closed.GetProperty("labelled").GetBoolean());
            closedAtMs = closed.GetProperty("closed_at").GetDateTimeOffset().ToUnixTimeMilliseconds();

            var labels = await LabelTable.ReadAsync(dir.Path);
            var ofAlert = Assert.Single(labels, l => l.TransactionId == alertId);
            Assert.Equal((true, "burst", closedAtMs, "case:" + id), (ofAlert.IsSuspicious, ofAlert.Typology, ofAlert.KnownAtMs, ofAlert.Source));
            Assert.Equal(Alerts(closed).Select(a => a.GetProperty("transaction_id").GetString()).Distinct().Order(), labels.Select(l => l.TransactionId).Order());
        } // a clean stop rolls the accepted transactions into the offline store

        var definition = DefinitionsLoader.LoadDefault();
        Task<TransactionTrainingSet> Build(long cutoff) => TrainingSetBuilder.ComputeFromStoreAsync(
            dir.Path, FeaturePlan.Compile(definition), EngineOptions.From(definition), new TransactionRowSelection { CutoffMs = cutoff }, 1);
        var before = await Build(closedAtMs);
        var after = await Build(closedAtMs + 1);

        Assert.DoesNotContain(alertId, before.TransactionIds);
        Assert.True(before.Labelling.AfterCutoff > 0);
        Assert.Contains(alertId, after.TransactionIds);
        Assert.True(after.Labels[Array.IndexOf(after.TransactionIds, alertId)]);
    }

    [Fact]
    public async Task An_alert_the_outbox_kept_but_no_case_took_is_filed_at_the_next_start()
    {
        using var dir = new TempDirectory();
        string alertId;
        await using (var server = await RunningServer.StartAsync(dataDirectory: dir.Path, configure: s => s with { AlertRules = Rules }))
        {
            (var burst, alertId) = SuspiciousBurst.For("CUST_LOST", DateTimeOffset.UtcNow);
            Assert.Equal(200, (await server.PostJsonAsync("/transactions", burst)).Status);
            await WaitForCaseAsync(server, "CUST_LOST", c => Alerts(c).Any(a => a.GetProperty("transaction_id").GetString() == alertId));
        }

        // As if the process had stopped after the outbox took the alerts and before the case log did.
        Directory.Delete(Path.Combine(dir.Path, "cases"), recursive: true);

        await using var restarted = await RunningServer.StartAsync(dataDirectory: dir.Path, configure: s => s with { AlertRules = Rules });
        var refiled = await WaitForCaseAsync(restarted, "CUST_LOST", c => Alerts(c).Any(a => a.GetProperty("transaction_id").GetString() == alertId));
        Assert.Equal("open", refiled.GetProperty("status").GetString());
        Assert.False(Alerts(refiled).First().TryGetProperty("contributions", out _)); // the outbox keeps no explanation
    }

    private static List<JsonElement> Cases((int Status, JsonElement Body) answer)
    {
        Assert.Equal(200, answer.Status);
        return [.. answer.Body.GetProperty("cases").EnumerateArray()];
    }

    private static IEnumerable<JsonElement> Alerts(JsonElement c) => c.GetProperty("alerts").EnumerateArray();

    /// <summary>The one field a 400 answer names.</summary>
    private static string Field((int Status, JsonElement Body) answer)
    {
        Assert.True(answer.Status == 400, answer.Body.ToString());
        return Assert.Single(answer.Body.GetProperty("errors").EnumerateObject()).Name;
    }

    /// <summary>The newest case of <paramref name="entity"/>, in full, once one satisfies <paramref name="done"/>.</summary>
    private static async Task<JsonElement> WaitForCaseAsync(RunningServer server, string entity, Func<JsonElement, bool> done)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            foreach (var listed in Cases(await server.GetJsonAsync($"/cases?entity_id={entity}&order=age")).AsEnumerable().Reverse())
            {
                var (status, full) = await server.GetJsonAsync("/cases/" + listed.GetProperty("id").GetString());
                Assert.Equal(200, status);
                if (done(full))
                    return full;
                break;
            }

            await Task.Delay(100, timeout.Token);
        }
    }
}
