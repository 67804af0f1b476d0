using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Amlfs.Kafka;
using Amlfs.Testing;
using Amlfs.Transactions;

namespace Amlfs.Cli.Tests.Distributed;

/// <summary><c>amlfs up --distributed</c> as a separate process: mock Kafka, in-process Redis, workers and a replica.</summary>
[Trait("Category", "Process")]
public sealed partial class UpDistributedTests
{
    [Fact]
    public async Task A_transaction_published_to_its_kafka_is_served_by_its_api_with_the_key_made_on_the_first_start()
    {
        using var data = new TempDirectory();
        using var up = await AmlfsProcess.StartCommandAsync("up", data.Path, "--distributed", "--no-producer", "--log-level", "information", "--auth", "on");
        await up.WaitForOutputAsync("Press Ctrl+C", TimeSpan.FromSeconds(20));
        Assert.Contains("development stand-ins", up.Output, StringComparison.Ordinal);
        var key = FirstKey().Match(up.Output).Groups[1].Value;
        Assert.NotEqual("", key);
        Assert.Contains("Workers   2 in consumer group", up.Output, StringComparison.Ordinal);
        var bootstrap = MockCluster().Match(up.Output).Groups[1].Value;

        var customer = "CUST_UP_" + Guid.NewGuid().ToString("N")[..8];
        using (var publisher = new TransactionPublisher(new KafkaPublisherOptions { BootstrapServers = bootstrap }))
        {
            publisher.Publish(Tx.At(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 1000, customer: customer, merchant: "MERCH_UP", cents: 8_750_00));
            Assert.Equal(1, publisher.Flush().Delivered);
        }

        using var anonymous = new HttpClient { BaseAddress = up.Address };
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri($"/features/{customer}", UriKind.Relative))).StatusCode);
        using var client = new HttpClient { BaseAddress = up.Address };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        JsonElement features;
        do
        {
            await Task.Delay(100);
            features = await client.GetFromJsonAsync<JsonElement>(new Uri($"/features/{customer}", UriKind.Relative));
        }
        while (!features.GetProperty("known").GetBoolean() && DateTime.UtcNow < deadline);

        Assert.True(features.GetProperty("known").GetBoolean(), up.Output);
        Assert.Equal(8750, features.GetProperty("features").GetProperty("txn_amount_sum_1h").GetDouble());
        await up.InterruptCleanlyAsync();
        Assert.Contains("Worker: revoked", up.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_workers_decide_each_transaction_as_the_replicas_predict_would_and_its_dashboard_shows_the_decision()
    {
        using var data = new TempDirectory();
        using var up = await AmlfsProcess.StartCommandAsync("up", data.Path, "--distributed", "--no-producer", "--log-level", "information");
        Assert.Contains("each transaction decided, to transactions.decisions", up.Output, StringComparison.Ordinal);
        var bootstrap = MockCluster().Match(up.Output).Groups[1].Value;

        // A burst the rules find suspicious: large amounts from several IP addresses within minutes.
        var customer = "CUST_DEC_" + Guid.NewGuid().ToString("N")[..8];
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var burst = Enumerable.Range(0, 6)
            .Select(i => Tx.At(now - 60_000 + (i * 5_000), customer: customer, merchant: "MERCH_DEC", cents: 4_900_00, ip: $"10.9.0.{i}", id: $"{customer}-{i}"))
            .ToArray();
        using (var publisher = new TransactionPublisher(new KafkaPublisherOptions { BootstrapServers = bootstrap }))
        {
            foreach (var transaction in burst)
                publisher.Publish(transaction);
            Assert.Equal(burst.Length, publisher.Flush().Delivered);
        }

        using var client = up.CreateClient();
        var last = burst[^1];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        HttpResponseMessage found;
        while (!(found = await client.GetAsync(new Uri($"/dashboard/api/decisions/{last.TransactionId}", UriKind.Relative))).IsSuccessStatusCode && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.True(found.IsSuccessStatusCode, up.Output);
        var decision = (await found.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("decision");

        // The replica's /predict scores the same transaction as of its time from the same states: the same verdict.
        var predict = await client.PostAsJsonAsync(new Uri("/predict", UriKind.Relative), new
        {
            transaction_id = last.TransactionId,
            customer_id = last.CustomerId,
            merchant_id = last.MerchantId,
            amount = last.Amount,
            timestamp = TransactionTimestamps.Format(last.TimestampMs),
            ip_address = last.IpAddress,
        });
        var verdict = await predict.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(verdict.GetProperty("risk_score").GetDouble(), decision.GetProperty("score").GetDouble(), 12);
        Assert.Equal(verdict.GetProperty("risk_level").GetString(), decision.GetProperty("level").GetString());
        Assert.Equal("HIGH", decision.GetProperty("level").GetString());
        Assert.Equal(verdict.GetProperty("model_version").GetString(), decision.GetProperty("model_version").GetString());

        var alerts = await client.GetFromJsonAsync<JsonElement>(new Uri("/dashboard/api/alerts?level=all", UriKind.Relative));
        Assert.True(alerts.GetProperty("decides").GetBoolean());
        var listed = alerts.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("transaction_id").GetString()).ToHashSet();
        Assert.All(burst, t => Assert.Contains(t.TransactionId, listed));
        await up.InterruptCleanlyAsync();
    }

    [GeneratedRegex(@"mock cluster at (\S+):")]
    private static partial Regex MockCluster();

    [GeneratedRegex(@"Key\s+(amlfs_\S+)")]
    private static partial Regex FirstKey();
}
