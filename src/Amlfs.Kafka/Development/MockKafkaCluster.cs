using System.Globalization;
using Confluent.Kafka;

namespace Amlfs.Kafka.Development;

/// <summary>
/// librdkafka's in-process mock cluster, a development stand-in for Kafka: an admin client created with
/// <c>test.mock.num.brokers</c> starts brokers on 127.0.0.1 ports that any client, in this process or another, joins
/// through <see cref="BootstrapServers"/>. Topics are created on first use with 4 partitions; each partition keeps
/// only about 5 MB, and nothing is written to disk. Not for production: it lives as long as this object.
/// </summary>
public sealed class MockKafkaCluster : IDisposable
{
    /// <summary>The partitions of every topic the mock cluster creates.</summary>
    public const int PartitionsPerTopic = 4;

    private readonly IAdminClient _admin;

    public MockKafkaCluster(int brokers = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        var config = new AdminClientConfig();
        config.Set("test.mock.num.brokers", brokers.ToString(CultureInfo.InvariantCulture));
        _admin = new AdminClientBuilder(config).SetLogHandler((_, _) => { }).Build();
        var metadata = _admin.GetMetadata(TimeSpan.FromSeconds(10));
        BootstrapServers = string.Join(",", metadata.Brokers.Select(b => string.Create(CultureInfo.InvariantCulture, $"{b.Host}:{b.Port}")));
    }

    /// <summary>The mock brokers as a <c>bootstrap.servers</c> list.</summary>
    public string BootstrapServers { get; }

    /// <summary>The partitions of <paramref name="topic"/> as the brokers report them (none for a topic not created yet).</summary>
    public IReadOnlyList<TopicPartition> Partitions(string topic)
    {
        var metadata = _admin.GetMetadata(topic, TimeSpan.FromSeconds(10));
        return metadata.Topics.SingleOrDefault(t => t.Topic == topic && !t.Error.IsError) is { } found
            ? found.Partitions.Select(p => new TopicPartition(topic, p.PartitionId)).ToArray()
            : [];
    }

    /// <summary>
    /// Creates <paramref name="topics"/> now (with <see cref="PartitionsPerTopic"/> partitions) rather than on first
    /// use, so that consumers subscribed to them are assigned their partitions at once: a producer's metadata request
    /// for a missing topic makes the mock cluster create it.
    /// </summary>
    public void CreateTopics(params string[] topics)
    {
        using var producer = new ProducerBuilder<Null, Null>(new ProducerConfig { BootstrapServers = BootstrapServers }).SetLogHandler((_, _) => { }).Build();
        using var admin = new DependentAdminClientBuilder(producer.Handle).Build();
        foreach (var topic in topics)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (Partitions(topic).Count == 0)
            {
                if (DateTime.UtcNow > deadline)
                    throw new InvalidOperationException($"the mock cluster did not create topic {topic}");
                admin.GetMetadata(topic, TimeSpan.FromSeconds(5));
            }
        }
    }

    public void Dispose() => _admin.Dispose();
}
