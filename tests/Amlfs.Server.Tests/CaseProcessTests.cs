using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Amlfs.Testing;

namespace Amlfs.Server.Tests;

/// <summary>Cases in the real program: every answered step survives a SIGKILL, and the restarted server goes on with them.</summary>
[Trait("Category", "Process")]
public sealed class CaseProcessTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_case_and_every_answered_step_survive_a_kill_and_the_restarted_server_goes_on_with_them()
    {
        var rules = _directory.File("alerts.yaml");
        await File.WriteAllTextAsync(rules, """
            rules:
              - name: high_risk_decision
                kind: high_decision
                level: warning
            """);
        var data = _directory.File("data");
        string id;
        using (var first = await AmlfsProcess.StartAsync(data, "--alerts", rules))
        {
            using var client = first.CreateClient();
            var (burst, _) = SuspiciousBurst.For("CUST_KILL", DateTimeOffset.UtcNow);
            (await client.PostAsync(new Uri("/transactions", UriKind.Relative), Json(burst))).EnsureSuccessStatusCode();
            id = await FirstCaseAsync(client, "CUST_KILL");
            (await client.PostAsync(new Uri($"/cases/{id}/assignment", UriKind.Relative), Json("""{"assignee":"ana"}"""))).EnsureSuccessStatusCode();
            (await client.PostAsync(new Uri($"/cases/{id}/transitions", UriKind.Relative), Json("""{"to":"investigating","note":"opened the file"}"""))).EnsureSuccessStatusCode();
            first.Kill(); // no shutdown code runs: only what was fsynced before each answer remains
        }

        using var second = await AmlfsProcess.StartAsync(data, "--alerts", rules);
        using var restarted = second.CreateClient();
        var found = await restarted.GetFromJsonAsync<JsonElement>(new Uri($"/cases/{id}", UriKind.Relative));
        Assert.Equal(("investigating", "ana"), (found.GetProperty("status").GetString(), found.GetProperty("assignee").GetString()));
        Assert.Equal("opened the file", found.GetProperty("notes")[0].GetProperty("text").GetString());
        Assert.NotEmpty(found.GetProperty("alerts").EnumerateArray());

        using var closed = await restarted.PostAsync(new Uri($"/cases/{id}/transitions", UriKind.Relative), Json("""{"to":"closed","disposition":"inconclusive"}"""));
        closed.EnsureSuccessStatusCode();
        await second.InterruptCleanlyAsync();
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static async Task<string> FirstCaseAsync(HttpClient client, string entity)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var list = await client.GetFromJsonAsync<JsonElement>(new Uri($"/cases?entity_id={entity}", UriKind.Relative), timeout.Token);
            if (list.GetProperty("cases").EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } c)
                return c.GetProperty("id").GetString()!;
            await Task.Delay(100, timeout.Token);
        }
    }
}
