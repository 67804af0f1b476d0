using System.Globalization;
using Amlfs.Redis;

namespace Amlfs.Testing;

/// <summary>
/// What a real <c>amlfs worker</c> process works against in a test: librdkafka's mock cluster, an in-process RESP
/// server and a data directory, with the arguments that point a worker at the first two.
/// </summary>
public sealed class WorkerRig : IDisposable
{
    public KafkaMockCluster Kafka { get; } = new();

    public GarnetServerFixture Redis { get; } = new();

    /// <summary>The worker's data directory (its definitions, registry and keys).</summary>
    public TempDirectory Data { get; } = new();

    /// <summary>The RESP server as the online store's options, for a test that reads or writes it directly.</summary>
    public RedisOnlineStoreOptions RedisOptions => new() { Host = Redis.Host, Port = Redis.Port };

    /// <summary>A topic no other test uses.</summary>
    public static string NewTopic() => "tx-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The consumer group <see cref="WorkerArgs"/> gives the workers of <paramref name="topic"/>.</summary>
    public static string GroupOf(string topic) => "workers-" + topic;

    /// <summary>
    /// <c>--kafka</c>, <c>--topic</c>, <c>--group</c> (<see cref="GroupOf"/>) and <c>--online-store</c> for a worker of
    /// <paramref name="topic"/>, then <paramref name="more"/>.
    /// </summary>
    public string[] WorkerArgs(string topic, params string[] more) =>
    [
        "--kafka", Kafka.BootstrapServers, "--topic", topic, "--group", GroupOf(topic),
        "--online-store", string.Create(CultureInfo.InvariantCulture, $"redis://{Redis.Host}:{Redis.Port}"),
        .. more,
    ];

    public void Dispose()
    {
        Kafka.Dispose();
        Redis.Dispose();
        Data.Dispose();
    }
}
