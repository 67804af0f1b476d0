using System.Globalization;
using System.Text.Json;
using Amlfs.Decisions;
using Amlfs.OfflineStore;
using Amlfs.Testing;

namespace Amlfs.Server.Tests;

/// <summary>
/// The decision page finds a decision the process no longer keeps in memory: in the decision log while its segment is
/// not rolled, then in the offline store's decisions table; and says where it looked when none holds it.
/// </summary>
public sealed class OlderDecisionsApiTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_decision_evicted_from_memory_is_found_in_the_decision_log()
    {
        await using var server = await RunningServer.StartAsync(configure: s => s with { DecisionFeedCapacity = 3 });
        var (burst, alertId) = SuspiciousBurst.For("CUST_OLD", DateTimeOffset.UtcNow);
        Assert.Equal(200, (await server.PostJsonAsync("/transactions", burst)).Status);
        await WaitForDecisionsAsync(server, 13);

        var (status, evicted) = await server.GetJsonAsync("/dashboard/api/decisions/CUST_OLD-b0");
        Assert.Equal(200, status);
        Assert.Equal("decision_log", evicted.GetProperty("found_in").GetString());
        Assert.Equal("CUST_OLD-b0", evicted.GetProperty("decision").GetProperty("transaction_id").GetString());
        Assert.Equal("177.20.9.0", evicted.GetProperty("transaction").GetProperty("ip_address").GetString()); // the write-ahead log still holds it
        Assert.Equal("recomputed", evicted.GetProperty("explanation_source").GetString());
        Assert.Equal(0, evicted.GetProperty("customer_features").GetProperty("features").GetProperty("txn_count_1h").GetDouble()); // the first of the burst
        var (_, held) = await server.GetJsonAsync($"/dashboard/api/decisions/{alertId}");
        Assert.Equal("feed", held.GetProperty("found_in").GetString());
        Assert.Equal(3, (await server.GetJsonAsync("/dashboard/api/info")).Body.GetProperty("decision_capacity").GetInt32());

        var (missingStatus, missing) = await server.GetJsonAsync("/dashboard/api/decisions/no-such-transaction");
        Assert.Equal(404, missingStatus);
        Assert.Contains("'no-such-transaction'", missing.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(400, (await server.GetJsonAsync("/dashboard/api/decisions/CUST_OLD-b0?at=yesterday")).Status);
    }

    [Fact]
    public async Task A_decision_rolled_into_the_offline_store_is_found_in_its_table()
    {
        // Segments of 4 KB seal after a few dozen decisions, so the first ones are rolled and their segment deleted.
        await using var server = await RunningServer.StartAsync(configure: s => s with { DecisionFeedCapacity = 3, WalSegmentBytes = 4096 });
        var start = DateTimeOffset.UtcNow.AddMinutes(-2);
        for (var batch = 0; batch < 4; batch++)
        {
            var items = Enumerable.Range(0, 25).Select(i => SuspiciousBurst.Item(
                $"R{(batch * 25) + i}", "CUST_R" + (i % 5), 10m + i, start.AddMilliseconds((batch * 25 + i) * 100), "MERCH_1", "10.0.0.1"));
            Assert.Equal(200, (await server.PostJsonAsync("/transactions", JsonSerializer.Serialize(items))).Status);
        }

        await WaitForDecisionsAsync(server, 100);
        var log = DatasetLayout.DecisionLogDirectory(server.DataDirectory);
        using (var timeout = new CancellationTokenSource(Patience))
        {
            while (DecisionLog.FindInFiles(log, "R0") is not null)
                await Task.Delay(50, timeout.Token);
        }

        var (status, rolled) = await server.GetJsonAsync("/dashboard/api/decisions/R0");
        Assert.Equal(200, status);
        Assert.Equal("offline_store", rolled.GetProperty("found_in").GetString());
        Assert.Equal(("R0", "CUST_R0"), (rolled.GetProperty("decision").GetProperty("transaction_id").GetString(), rolled.GetProperty("decision").GetProperty("customer_id").GetString()));
        Assert.Equal(10m, rolled.GetProperty("decision").GetProperty("amount").GetDecimal());

        // The transaction's time narrows the table's search to its day; another day does not hold it, and the answer says where it looked.
        var at = Uri.EscapeDataString(start.ToString("O", CultureInfo.InvariantCulture));
        Assert.Equal("offline_store", (await server.GetJsonAsync($"/dashboard/api/decisions/R0?at={at}")).Body.GetProperty("found_in").GetString());
        var dayBefore = start.UtcDateTime.Date.AddDays(-1);
        var (missingStatus, missing) = await server.GetJsonAsync($"/dashboard/api/decisions/R0?at={dayBefore:yyyy-MM-dd}T12:00:00Z");
        Assert.Equal(404, missingStatus);
        var detail = missing.GetProperty("detail").GetString();
        Assert.Contains("'R0'", detail, StringComparison.Ordinal);
        Assert.Contains(dayBefore.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), detail, StringComparison.Ordinal);
    }

    /// <summary>Waits, within <see cref="Patience"/>, until the decision stream has decided <paramref name="count"/> transactions.</summary>
    private static async Task WaitForDecisionsAsync(RunningServer server, int count)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (server.Service<Decisions.DecisionFeed>().Published < count)
            await Task.Delay(20, timeout.Token);
    }
}
