using System.Collections.Concurrent;
using System.Text.Json;
using Amlfs.Testing;

namespace Amlfs.Server.Tests;

/// <summary>The real program: killed with SIGKILL under load and restarted, stopped with Ctrl-C, and run as <c>up</c>.</summary>
[Trait("Category", "Process")]
public sealed class ServerProcessTests : IDisposable
{
    private const int Customers = 20;
    private const int Senders = 4;
    private const int BatchSize = 25;
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Every_acknowledged_transaction_survives_a_kill_and_counts_exactly_once()
    {
        var data = _directory.File("data");
        var attempted = new ConcurrentDictionary<string, Sent>();
        var acknowledged = new ConcurrentDictionary<string, Sent>();
        using (var first = await AmlfsProcess.StartAsync(data))
        {
            using var client = first.CreateClient();
            using var stop = new CancellationTokenSource();
            var senders = Enumerable.Range(0, Senders).Select(s => Task.Run(() => SendUntilStopped(client, s, attempted, acknowledged, stop.Token))).ToArray();
            while (acknowledged.Count < 2000)
                await Task.Delay(10);
            first.Kill(); // senders are mid-request: some batches are logged but never acknowledged
            await stop.CancelAsync();
            await Task.WhenAll(senders);
        }

        using var second = await AmlfsProcess.StartAsync(data);
        using var restarted = second.CreateClient();

        // Nothing acknowledged was lost and nothing was counted twice.
        foreach (var customer in attempted.Values.Select(t => t.Customer).Distinct())
        {
            var count = await CountAsync(restarted, customer);
            Assert.InRange(count, acknowledged.Values.Count(t => t.Customer == customer), attempted.Values.Count(t => t.Customer == customer));
        }

        // Clients retry what was never acknowledged; every acknowledged transaction comes back as a duplicate.
        foreach (var chunk in attempted.Values.Chunk(500))
        {
            using var response = await restarted.PostAsync(new Uri("/transactions", UriKind.Relative), Json(chunk));
            response.EnsureSuccessStatusCode();
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            foreach (var result in body.RootElement.GetProperty("results").EnumerateArray())
            {
                var id = result.GetProperty("transaction_id").GetString()!;
                var status = result.GetProperty("status").GetString();
                if (acknowledged.ContainsKey(id))
                    Assert.Equal("duplicate", status);
                else
                    Assert.Contains(status, new[] { "accepted", "duplicate" });
            }
        }

        foreach (var group in attempted.Values.GroupBy(t => t.Customer))
            Assert.Equal(group.Count(), await CountAsync(restarted, group.Key));
        using var health = JsonDocument.Parse(await restarted.GetStringAsync(new Uri("/health", UriKind.Relative)));
        Assert.Equal(attempted.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            health.RootElement.GetProperty("components").GetProperty("engine").GetProperty("details").GetProperty("accepted").GetString());

        // Every accepted transaction was decided exactly once: those the kill caught undecided or unwritten, after the restart.
        await second.InterruptCleanlyAsync();
        var decisions = await Amlfs.Parquet.Decisions.DecisionTable.ReadAsync(data);
        Assert.Equal(attempted.Keys.Order(), decisions.Select(d => d.TransactionId).Order());
    }

    [Fact]
    public async Task Ctrl_c_stops_cleanly_with_a_snapshot_so_the_next_start_replays_nothing()
    {
        var data = _directory.File("data");
        using (var first = await AmlfsProcess.StartAsync(data))
        {
            using var client = first.CreateClient();
            var now = DateTimeOffset.UtcNow.AddSeconds(-1);
            using var response = await client.PostAsync(new Uri("/transactions", UriKind.Relative),
                Json(Enumerable.Range(0, 100).Select(i => new Sent($"T{i}", $"CUST_{i % 7:D3}", 10m + i, now))));
            response.EnsureSuccessStatusCode();

            await first.InterruptCleanlyAsync();

            Assert.Contains("Stopped.", first.Output, StringComparison.Ordinal);
        }

        using var second = await AmlfsProcess.StartAsync(data, "--log-level", "information");
        using var restarted = second.CreateClient();
        for (var wait = 0; wait < 100 && !second.Output.Contains("records replayed", StringComparison.Ordinal); wait++)
            await Task.Delay(50); // the console logger writes on its own thread
        Assert.Contains("snapshot 100, 0 records replayed", second.Output, StringComparison.Ordinal);
        var total = 0;
        for (var c = 0; c < 7; c++)
            total += await CountAsync(restarted, $"CUST_{c:D3}");
        Assert.Equal(100, total);
    }

    [Fact]
    public async Task Up_runs_the_whole_system_with_its_producer_and_stops_on_ctrl_c()
    {
        using var up = await AmlfsProcess.StartCommandAsync("up", _directory.File("data"), "--rate", "50");
        using var client = up.CreateClient();

        JsonElement producer = default;
        for (var wait = 0; wait < 200; wait++)
        {
            using var health = JsonDocument.Parse(await client.GetStringAsync(new Uri("/health", UriKind.Relative)));
            producer = health.RootElement.GetProperty("components").GetProperty("producer").Clone();
            if (long.Parse(producer.GetProperty("details").GetProperty("accepted").GetString()!, System.Globalization.CultureInfo.InvariantCulture) >= 10)
                break;
            await Task.Delay(50);
        }

        Assert.Equal("healthy", producer.GetProperty("status").GetString());
        Assert.True(long.Parse(producer.GetProperty("details").GetProperty("accepted").GetString()!, System.Globalization.CultureInfo.InvariantCulture) >= 10, producer.ToString());
        foreach (var url in new[] { "/docs", "/health", "/metrics" })
            Assert.Contains(up.Address.ToString().TrimEnd('/') + url, up.Output, StringComparison.Ordinal);
        // The banner links the dashboard, which the process serves from its own assembly.
        Assert.Contains("Dashboard " + up.Address.ToString().TrimEnd('/') + "/", up.Output, StringComparison.Ordinal);
        Assert.Contains("uPlot.iife.min.js", await client.GetStringAsync(new Uri("/", UriKind.Relative)), StringComparison.Ordinal);
        // Keys are checked by default: the producer in the process needs none, a caller without one is refused.
        Assert.Contains("Keys      1 from", up.Output, StringComparison.Ordinal);
        using var anonymous = new HttpClient { BaseAddress = up.Address };
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/features/CUST_000001", UriKind.Relative))).StatusCode);
        await up.InterruptCleanlyAsync();
    }

    [Fact]
    public async Task Up_with_keys_makes_an_admin_key_on_its_first_start_and_prints_its_sign_in_link_once()
    {
        var data = _directory.File("data");
        string link;
        using (var first = await AmlfsProcess.StartCommandAsync("up", data, "--auth", "on", "--no-producer"))
        {
            await first.WaitForOutputAsync("Press Ctrl+C", TimeSpan.FromSeconds(20));
            link = System.Text.RegularExpressions.Regex.Match(first.Output, @"Sign in\s+(\S+/auth/sign-in\?key=(\S+))").Groups[1].Value;
            Assert.NotEqual("", link);
            var cookies = new System.Net.CookieContainer();
            using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false });
            using var signIn = await browser.GetAsync(new Uri(link));
            Assert.Equal(System.Net.HttpStatusCode.Redirect, signIn.StatusCode);
            using var me = JsonDocument.Parse(await browser.GetStringAsync(new Uri(first.Address, "/auth/me")));
            Assert.Equal("admin", me.RootElement.GetProperty("role").GetString());
            using var anonymous = new HttpClient { BaseAddress = first.Address };
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/dashboard/api/info", UriKind.Relative))).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await anonymous.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);
            await first.InterruptCleanlyAsync();
        }

        using var second = await AmlfsProcess.StartCommandAsync("up", data, "--auth", "on", "--no-producer");
        await second.WaitForOutputAsync("Press Ctrl+C", TimeSpan.FromSeconds(20));
        Assert.DoesNotContain("Sign in", second.Output, StringComparison.Ordinal);
        Assert.Contains("Keys      1 from", second.Output, StringComparison.Ordinal);
        Assert.Single(new Amlfs.Security.ApiKeyStore(Amlfs.Security.ApiKeyStore.FileOf(data)).List());
        await second.InterruptCleanlyAsync();
    }

    [Fact]
    public async Task Serve_with_auth_off_warns_that_the_API_is_open()
    {
        using var server = await AmlfsProcess.StartAsync(_directory.File("data"), "--auth", "off");
        await server.WaitForOutputAsync("WARNING   --auth off: the API is open", TimeSpan.FromSeconds(20));
        await server.InterruptCleanlyAsync();
    }

    private static async Task SendUntilStopped(HttpClient client, int sender, ConcurrentDictionary<string, Sent> attempted, ConcurrentDictionary<string, Sent> acknowledged, CancellationToken stop)
    {
        var random = new Random(sender);
        for (var batch = 0; !stop.IsCancellationRequested; batch++)
        {
            var now = DateTimeOffset.UtcNow.AddSeconds(-1);
            var transactions = Enumerable.Range(0, BatchSize)
                .Select(i => new Sent($"S{sender}-B{batch}-{i}", $"CUST_{random.Next(Customers):D3}", random.Next(1, 100_000) / 100m, now))
                .ToArray();
            foreach (var t in transactions)
                attempted[t.Id] = t;
            try
            {
                using var response = await client.PostAsync(new Uri("/transactions", UriKind.Relative), Json(transactions), CancellationToken.None);
                if (!response.IsSuccessStatusCode)
                    continue;
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(CancellationToken.None));
                foreach (var result in body.RootElement.GetProperty("results").EnumerateArray())
                {
                    if (result.GetProperty("status").GetString() == "accepted")
                        acknowledged[result.GetProperty("transaction_id").GetString()!] = attempted[result.GetProperty("transaction_id").GetString()!];
                }
            }
            catch (HttpRequestException)
            {
                return; // the server is gone
            }
            catch (IOException)
            {
                return;
            }
        }
    }

    private static async Task<int> CountAsync(HttpClient client, string customer)
    {
        using var body = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/features/{customer}", UriKind.Relative)));
        return (int)body.RootElement.GetProperty("features").GetProperty("txn_count_1h").GetDouble();
    }

    private static StringContent Json(IEnumerable<Sent> transactions) => new(
        JsonSerializer.Serialize(transactions.Select(t => new Dictionary<string, object>
        {
            ["transaction_id"] = t.Id,
            ["customer_id"] = t.Customer,
            ["merchant_id"] = "MERCH_000001",
            ["amount"] = t.Amount,
            ["timestamp"] = t.Timestamp.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        })),
        System.Text.Encoding.UTF8,
        "application/json");

    private sealed record Sent(string Id, string Customer, decimal Amount, DateTimeOffset Timestamp);
}
