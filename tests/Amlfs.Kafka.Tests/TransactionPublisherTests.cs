using System.Net;
using System.Net.Sockets;
using Amlfs.Synthetic;
using Amlfs.Testing;

namespace Amlfs.Kafka.Tests;

public sealed class TransactionPublisherTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Published_transactions_come_back_keyed_by_customer_and_in_order(int brokers)
    {
        using var cluster = new KafkaMockCluster(brokers);
        var traffic = new LiveTraffic(new SyntheticOptions { Customers = 12, Merchants = 4 }, TimeProvider.System, "kafka");
        var sent = Enumerable.Range(0, 300).Select(_ => traffic.Next().Transaction).ToList();

        PublishTotals totals;
        using (var publisher = new TransactionPublisher(new KafkaPublisherOptions { BootstrapServers = cluster.BootstrapServers, Topic = "tx-order" }))
        {
            foreach (var transaction in sent)
                publisher.Publish(transaction);
            totals = publisher.Flush();
        }

        Assert.Equal(new PublishTotals { Published = 300, Delivered = 300, Failed = 0 }, totals);
        var received = cluster.ReadAll("tx-order");
        Assert.Equal(300, received.Count);
        var parsed = received.Select(m =>
        {
            var errors = TransactionMessage.Parse(m.Message.Value, out var transaction);
            Assert.Empty(errors);
            Assert.Equal(transaction!.CustomerId, m.Message.Key);
            return (m.Partition.Value, Transaction: transaction);
        }).ToList();

        // One customer, one partition; within it the customer's transactions in the order they were published.
        Assert.All(parsed.GroupBy(p => p.Transaction.CustomerId), g => Assert.Single(g.Select(p => p.Value).Distinct()));
        foreach (var customer in sent.GroupBy(t => t.CustomerId))
            Assert.Equal(customer.ToList(), parsed.Where(p => p.Transaction.CustomerId == customer.Key).Select(p => p.Transaction).ToList());
        Assert.True(sent.Select(t => t.CustomerId).Distinct().Count() > 1);
    }

    [Fact]
    public void An_unreachable_kafka_fails_every_message_naming_the_bootstrap_servers()
    {
        var bootstrap = $"127.0.0.1:{ClosedPort()}";
        var options = new KafkaPublisherOptions { BootstrapServers = bootstrap, Topic = "nowhere", MessageTimeout = TimeSpan.FromSeconds(2) };

        PublishTotals totals;
        using (var publisher = new TransactionPublisher(options))
        {
            for (var i = 0; i < 5; i++)
                publisher.Publish(Tx.At(Tx.Utc(2026, 1, 5), customer: $"CUST_{i}"));
            totals = publisher.Flush();
        }

        Assert.Equal(5, totals.Published);
        Assert.Equal(0, totals.Delivered);
        Assert.Equal(5, totals.Failed);
        Assert.Contains(bootstrap, totals.FirstError, StringComparison.Ordinal);
        Assert.Contains("did not acknowledge within 2 s", totals.FirstError, StringComparison.Ordinal);
    }

    /// <summary>A local port nothing listens on: bound, its number read, then released.</summary>
    private static int ClosedPort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
