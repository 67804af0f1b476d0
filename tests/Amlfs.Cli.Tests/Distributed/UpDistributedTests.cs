using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Amlfs.Kafka;
using Amlfs.Testing;

namespace Amlfs.Cli.Tests.Distributed;

/// <summary><c>amlfs up --distributed</c> as a separate process: mock Kafka, in-process Redis, workers and a replica.</summary>
[Trait("Category", "Process")]
public sealed partial class UpDistributedTests
{
    [Fact]
    public async Task A_transaction_published_to_its_kafka_is_served_by_its_api_and_the_stand_ins_are_named()
    {
        using var data = new TempDirectory();
        using var up = await AmlfsProcess.StartCommandAsync("up", data.Path, "--distributed", "--no-producer", "--log-level", "information");
        Assert.Contains("development stand-ins", up.Output, StringComparison.Ordinal);
        Assert.Contains("Workers   2 in consumer group", up.Output, StringComparison.Ordinal);
        var bootstrap = MockCluster().Match(up.Output).Groups[1].Value;

        var customer = "CUST_UP_" + Guid.NewGuid().ToString("N")[..8];
        using (var publisher = new TransactionPublisher(new KafkaPublisherOptions { BootstrapServers = bootstrap }))
        {
            publisher.Publish(Tx.At(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 1000, customer: customer, merchant: "MERCH_UP", cents: 8_750_00));
            Assert.Equal(1, publisher.Flush().Delivered);
        }

        using var client = new HttpClient { BaseAddress = up.Address };
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
        Assert.Equal(0, await up.InterruptAsync());
        Assert.Contains("Worker: revoked", up.Output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"mock cluster at (\S+):")]
    private static partial Regex MockCluster();
}
