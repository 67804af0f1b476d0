using System.Collections.Concurrent;
using Amlfs.Decisions;
using Amlfs.Kafka.Decisions;
using Amlfs.Scoring;
using Amlfs.Testing;
using Amlfs.Transactions;
using Confluent.Kafka;

namespace Amlfs.Kafka.Tests;

public sealed class DecisionTopicReaderTests : IDisposable
{
    private readonly KafkaMockCluster _cluster = new();

    public void Dispose() => _cluster.Dispose();

    [Fact]
    public async Task A_reader_starts_from_the_newest_decisions_of_each_partition_then_follows_new_ones()
    {
        var topic = "decisions-" + Guid.NewGuid().ToString("N")[..8];
        var backlog = Enumerable.Range(0, 40).Select(i => Decision($"old-{i}", $"CUST_{i}")).ToArray();
        Publish(topic, backlog.Select(Message));
        var received = new ConcurrentQueue<Decision>();
        using var stop = new CancellationTokenSource();
        using var reader = new DecisionTopicReader(new DecisionTopicReaderOptions { BootstrapServers = _cluster.BootstrapServers, Topic = topic, Backlog = 8 }, new LineLogger());
        var running = reader.Start(batch => { foreach (var d in batch) received.Enqueue(d); }, stop.Token);

        // One new decision after each of the backlog's customers: once all are read, so is whatever of the backlog was.
        var fresh = backlog.Select(d => Decision("new-" + d.CustomerId, d.CustomerId)).ToArray();
        WaitFor(() => reader.Read >= 8);
        Publish(topic, fresh.Select(Message));
        WaitFor(() => fresh.All(f => received.Any(r => r.TransactionId == f.TransactionId)));
        stop.Cancel();
        await running.WaitAsync(TimeSpan.FromSeconds(30));

        // The two newest of each of the four partitions, as published: the newest 8 of the topic shared out.
        var expected = _cluster.ReadAll(topic).Where(m => m.Message.Key.StartsWith("CUST_", StringComparison.Ordinal))
            .Select(m => (Partition: m.Partition.Value, Offset: m.Offset.Value, Id: DecisionMessage.Parse(m.Message.Value).TransactionId))
            .Where(m => m.Id.StartsWith("old-", StringComparison.Ordinal))
            .GroupBy(m => m.Partition).SelectMany(g => g.OrderByDescending(m => m.Offset).Take(2)).Select(m => m.Id).Order();
        Assert.Equal(expected, received.Select(d => d.TransactionId).Where(id => id.StartsWith("old-", StringComparison.Ordinal)).Order());
        Assert.Equal(fresh.Length, received.Count(d => d.TransactionId.StartsWith("new-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_message_that_is_not_a_decision_is_counted_logged_and_skipped()
    {
        var topic = "decisions-" + Guid.NewGuid().ToString("N")[..8];
        var decisions = Enumerable.Range(0, 5).Select(i => Decision($"tx-{i}", "CUST_1")).ToArray();
        Publish(topic, [Message(decisions[0]), new Message<string, byte[]> { Key = "CUST_1", Value = "{\"transaction_id\": 7}"u8.ToArray() }, .. decisions.Skip(1).Select(Message)]);
        var received = new ConcurrentQueue<Decision>();
        var log = new LineLogger();
        using var stop = new CancellationTokenSource();
        using var reader = new DecisionTopicReader(new DecisionTopicReaderOptions { BootstrapServers = _cluster.BootstrapServers, Topic = topic }, log);
        var running = reader.Start(batch => { foreach (var d in batch) received.Enqueue(d); }, stop.Token);

        WaitFor(() => reader.Read == 5 && reader.Unreadable == 1);
        stop.Cancel();
        await running.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(decisions, received);
        Assert.Contains("transaction_id is a JSON number, not a string", log.Text, StringComparison.Ordinal);
    }

    private static Decision Decision(string id, string customer) =>
        new(id, customer, "MERCH_1", DestinationType.Merchant, 100_00, Tx.Utc(2026, 1, 5), 1, Tx.Utc(2026, 1, 5), 0.7, RiskLevel.High, "rules-1");

    private static Message<string, byte[]> Message(Decision decision) => new() { Key = decision.CustomerId, Value = DecisionMessage.Serialize(decision) };

    private void Publish(string topic, IEnumerable<Message<string, byte[]>> messages)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = _cluster.BootstrapServers, Partitioner = Confluent.Kafka.Partitioner.Murmur2Random }).Build();
        foreach (var message in messages)
            producer.Produce(topic, message);
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10)));
    }

    private static void WaitFor(Func<bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, "the reader did not get there within a minute");
            Thread.Sleep(20);
        }
    }
}
