using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Amlfs.Testing;

namespace Amlfs.Cli.Tests.Produce;

public sealed class ProduceCommandTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void Produce_sends_count_transactions_as_snake_case_json_in_batches()
    {
        using var server = new FakeAmlfsServer();
        using var cli = new CliHarness();

        var result = cli.RunAdvancingClock(Step, "produce", "--url", server.Url.ToString(), "--count", "7", "--rate", "20", "--batch", "3");

        Assert.Equal(0, result.ExitCode);
        var batches = Batches(server);
        Assert.All(batches, b => Assert.InRange(b.Count, 1, 3));
        var transactions = batches.SelectMany(b => b).ToList();
        Assert.Equal(7, transactions.Count);
        Assert.Equal(7, transactions.Select(t => t.GetProperty("transaction_id").GetString()).Distinct().Count());
        foreach (var t in transactions)
        {
            Assert.StartsWith("CUST_", t.GetProperty("customer_id").GetString(), StringComparison.Ordinal);
            Assert.StartsWith("MERCH_", t.GetProperty("merchant_id").GetString(), StringComparison.Ordinal);
            Assert.True(t.GetProperty("amount").GetDecimal() > 0);
            Assert.Equal("BRL", t.GetProperty("currency").GetString());
            var timestamp = t.GetProperty("timestamp").GetString()!;
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", timestamp);
            Assert.True(DateTimeOffset.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture) >= CliHarness.Start);
        }

        Assert.Equal(7, server.Ingested.Count);
        Assert.Matches(@"Accepted\s+\S\s+7\s", result.Output);
    }

    [Fact]
    public void Produce_sends_rate_times_duration_transactions()
    {
        using var server = new FakeAmlfsServer();
        using var cli = new CliHarness();

        var result = cli.RunAdvancingClock(Step, "produce", "--url", server.Url.ToString(), "--duration", "2", "--rate", "5");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(10, server.Ingested.Count);
    }

    [Fact]
    public void A_busy_server_gets_the_same_batch_again_after_retry_after_without_losing_or_duplicating_it()
    {
        var busy = 1;
        using var server = new FakeAmlfsServer(r =>
            r.Path == "/transactions" && Interlocked.Exchange(ref busy, 0) == 1 ? FakeResponse.Busy(2) : null);
        using var cli = new CliHarness();

        var result = cli.RunAdvancingClock(Step, "produce", "--url", server.Url.ToString(), "--count", "10", "--rate", "1000", "--batch", "5");

        Assert.Equal(0, result.ExitCode);
        var posts = server.Requests.Where(r => r.Path == "/transactions").ToList();
        Assert.Equal(posts[0].BodyText, posts[1].BodyText);
        var accepted = posts.Skip(1).SelectMany(p => JsonDocument.Parse(p.Body).RootElement.EnumerateArray())
            .Select(t => t.GetProperty("transaction_id").GetString()).ToList();
        Assert.Equal(10, accepted.Count);
        Assert.Equal(10, accepted.Distinct().Count());
        Assert.Equal(10, server.Ingested.Count);
        Assert.Contains("server busy (429): sending the same batch again in 2 s", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"Retries \(server busy\)\s+\S\s+1\s", result.Output);
        Assert.Matches(@"Duplicates\s+\S\s+0\s", result.Output);
    }

    [Fact]
    public void Produce_exits_1_naming_the_url_when_the_server_is_unreachable()
    {
        var url = $"http://127.0.0.1:{ClosedPort()}/";
        using var cli = new CliHarness();

        var result = cli.Run("produce", "--url", url, "--count", "1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"cannot reach the amlfs server at {url}", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_produce_options_are_named_and_exit_1()
    {
        using var cli = new CliHarness();

        var result = cli.Run("produce", "--url", "not a url", "--rate", "-1", "--burst-size", "0", "--batch", "1001");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--url must be an absolute http:// or https:// address", result.Error, StringComparison.Ordinal);
        Assert.Contains("--rate must be a positive number of transactions per second, got -1", result.Error, StringComparison.Ordinal);
        Assert.Contains("--burst-size must be between 1 and 1,000, got 0", result.Error, StringComparison.Ordinal);
        Assert.Contains("--batch must be between 1 and 1,000, got 1001", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_burst_is_sent_and_the_next_transaction_of_the_customer_is_scored()
    {
        using var server = new FakeAmlfsServer();
        using var cli = new CliHarness();

        var result = cli.RunAdvancingClock(Step, "produce", "--url", server.Url.ToString(), "--burst-customer", "CUST_000001", "--burst-size", "30");

        Assert.Equal(0, result.ExitCode);
        var batch = Assert.Single(Batches(server));
        Assert.Equal(30, batch.Count);
        Assert.All(batch, t => Assert.Equal("CUST_000001", t.GetProperty("customer_id").GetString()));
        var predict = Assert.Single(server.Requests, r => r.Path == "/predict");
        using var scored = JsonDocument.Parse(predict.Body);
        Assert.Equal("CUST_000001", scored.RootElement.GetProperty("customer_id").GetString());
        Assert.DoesNotContain(batch, t => t.GetProperty("transaction_id").GetString() == scored.RootElement.GetProperty("transaction_id").GetString());
        Assert.Contains("risk HIGH, score 0.870 (model rules-1", result.Output, StringComparison.Ordinal);
        Assert.Contains("- 31 transactions in the last hour", result.Output, StringComparison.Ordinal);
    }

    private static List<List<JsonElement>> Batches(FakeAmlfsServer server) =>
        server.Requests.Where(r => r.Method == "POST" && r.Path == "/transactions")
            .Select(r => JsonDocument.Parse(r.Body).RootElement.EnumerateArray().ToList())
            .ToList();

    /// <summary>A port nothing listens on: one the system just handed out and took back.</summary>
    internal static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
