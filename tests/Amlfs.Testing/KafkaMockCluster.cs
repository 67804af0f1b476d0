using Confluent.Kafka;

namespace Amlfs.Testing;

/// <summary>
/// librdkafka's in-process mock cluster: an admin client created with <c>test.mock.num.brokers</c> starts brokers on
/// 127.0.0.1 ports that any other client joins through <see cref="BootstrapServers"/>. Topics auto-create with 4
/// partitions on first use; each partition keeps only about 5 MB, so tests stay small. The cluster lives as long as
/// this object.
/// </summary>
public sealed class KafkaMockCluster : IDisposable
{
    private readonly IAdminClient _admin;

    public KafkaMockCluster(int brokers = 1)
    {
        var config = new AdminClientConfig();
        config.Set("test.mock.num.brokers", brokers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _admin = new AdminClientBuilder(config).SetLogHandler((_, _) => { }).Build();
        var metadata = _admin.GetMetadata(TimeSpan.FromSeconds(10));
        BootstrapServers = string.Join(",", metadata.Brokers.Select(b => $"{b.Host}:{b.Port}"));
    }

    /// <summary>The mock brokers as a <c>bootstrap.servers</c> list.</summary>
    public string BootstrapServers { get; }

    /// <summary>
    /// Every message now on <paramref name="topic"/>, partition by partition in offset order, read by assigning the
    /// partitions directly (no consumer group to join). Stops at each partition's end as the brokers report it.
    /// </summary>
    public IReadOnlyList<ConsumeResult<string, byte[]>> ReadAll(string topic)
    {
        var metadata = _admin.GetMetadata(topic, TimeSpan.FromSeconds(10));
        var partitions = metadata.Topics.Single().Partitions.Select(p => new TopicPartition(topic, p.PartitionId)).ToList();
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

    public void Dispose() => _admin.Dispose();
}
