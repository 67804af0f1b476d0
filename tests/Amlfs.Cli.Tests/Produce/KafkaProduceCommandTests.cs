using System.Net;
using System.Net.Sockets;
using Amlfs.Kafka;
using Amlfs.Testing;

namespace Amlfs.Cli.Tests.Produce;

public sealed class KafkaProduceCommandTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void Produce_with_kafka_publishes_count_transactions_keyed_by_customer()
    {
        using var cluster = new KafkaMockCluster();
        using var cli = new CliHarness();

        var result = cli.RunAdvancingClock(Step, "produce", "--kafka", cluster.BootstrapServers, "--topic", "cli-tx", "--count", "40", "--rate", "50");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"Delivered\s+\S\s+40\s", result.Output);
        Assert.Matches(@"Failed\s+\S\s+0\s", result.Output);
        var messages = cluster.ReadAll("cli-tx");
        Assert.Equal(40, messages.Count);
        foreach (var message in messages)
        {
            Assert.Empty(TransactionMessage.Parse(message.Message.Value, out var transaction));
            Assert.Equal(transaction!.CustomerId, message.Message.Key);
            Assert.True(transaction.Timestamp >= CliHarness.Start);
        }
    }

    [Fact]
    public void The_bootstrap_servers_and_topic_come_from_the_environment_when_no_flag_is_given()
    {
        using var cluster = new KafkaMockCluster();
        using var cli = new CliHarness();
        cli.Variables["KAFKA_BOOTSTRAP_SERVERS"] = cluster.BootstrapServers;
        cli.Variables["KAFKA_TOPIC"] = "env-tx";

        var result = cli.RunAdvancingClock(Step, "produce", "--count", "3", "--rate", "50");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(3, cluster.ReadAll("env-tx").Count);
    }

    [Fact]
    public void An_unreachable_kafka_exits_1_naming_the_bootstrap_servers_and_the_undelivered_count()
    {
        using var cli = new CliHarness();
        var bootstrap = $"127.0.0.1:{ClosedPort()}";

        var result = cli.RunAdvancingClock(Step, "produce", "--kafka", bootstrap, "--count", "4", "--rate", "50", "--kafka-timeout", "2");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"4 of 4 transactions were not delivered: Kafka at {bootstrap} did not acknowledge within 2 s", result.Error, StringComparison.Ordinal);
        Assert.Matches(@"Failed\s+\S\s+4\s", result.Output);
    }

    [Fact]
    public void A_burst_cannot_be_published_to_kafka()
    {
        using var cli = new CliHarness();

        var result = cli.Run("produce", "--kafka", "localhost:9092", "--burst-customer", "CUST_000001");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--burst-customer scores its burst over HTTP; it cannot be combined with --kafka", result.Error, StringComparison.Ordinal);
    }

    /// <summary>A local port nothing listens on: bound, its number read, then released.</summary>
    private static int ClosedPort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
