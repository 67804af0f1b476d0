using Amlfs.Kafka.Development;
using Confluent.Kafka;

namespace Amlfs.Testing;

/// <summary>
/// The product's <see cref="MockKafkaCluster"/> (librdkafka's in-process mock brokers) for tests, with a way to read a
/// topic back. Topics auto-create with 4 partitions on first use; each partition keeps only about 5 MB, so tests stay
/// small. The cluster lives as long as this object.
/// </summary>
public sealed class KafkaMockCluster : IDisposable
{
    private readonly MockKafkaCluster _cluster;

    public KafkaMockCluster(int brokers = 1)
    {
        _cluster = new MockKafkaCluster(brokers);
    }

    /// <summary>The mock brokers as a <c>bootstrap.servers</c> list.</summary>
    public string BootstrapServers => _cluster.BootstrapServers;

    /// <summary>
    /// Every message now on <paramref name="topic"/>, partition by partition in offset order, read by assigning the
    /// partitions directly (no consumer group to join). Stops at each partition's end as the brokers report it.
    /// </summary>
    public IReadOnlyList<ConsumeResult<string, byte[]>> ReadAll(string topic)
    {
        var partitions = _cluster.Partitions(topic);
        var config = new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = "amlfs-tests-" + Guid.NewGuid().ToString("N"),
            EnablePartitionEof = true,
            EnableAutoCommit = false,
        };
        using var consumer = new ConsumerBuilder<string, byte[]>(config).SetLogHandler((_, _) => { }).Build();
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        var atEnd = new HashSet<int>();
        var messages = new List<ConsumeResult<string, byte[]>>();
        while (atEnd.Count < partitions.Count)
        {
            var result = consumer.Consume(TimeSpan.FromSeconds(30)) ?? throw new InvalidOperationException($"no message nor end of {topic} within 30 s");
            if (result.IsPartitionEOF)
                atEnd.Add(result.Partition.Value);
            else
                messages.Add(result);
        }

        consumer.Close();
        return messages;
    }

    public void Dispose() => _cluster.Dispose();
}
