using Amlfs.OnlineStore;
using Amlfs.Redis;
using Amlfs.Registry;
using Amlfs.Testing;

namespace Amlfs.Kafka.Tests;

/// <summary>
/// What a test of workers and a replica runs on: librdkafka's mock cluster, an embedded RESP server (Garnet), the data
/// directory whose definitions the replica serves, and a directory for the workers' checkpoints.
/// </summary>
internal sealed class DistributedRig : IDisposable
{
    public KafkaMockCluster Cluster { get; } = new();

    public GarnetServerFixture Redis { get; } = new();

    public TempDirectory Data { get; } = new();

    public TempDirectory Checkpoints { get; } = new();

    public Task<RedisOnlineStore> ConnectStoreAsync() =>
        RedisOnlineStore.ConnectAsync(new RedisOnlineStoreOptions { Host = Redis.Host, Port = Redis.Port });

    public WorkerRun StartWorker(string topic, RegistryDefinition definition, IOnlineStore store) =>
        WorkerScenario.StartWorker(Cluster, topic, definition, store, Checkpoints.Path);

    /// <summary>An API replica serving <see cref="Data"/>'s definitions from <paramref name="store"/>.</summary>
    public Task<RunningServer> StartReplicaAsync(IOnlineStore store) => RunningServer.StartAsync(TimeProvider.System, Data.Path,
        s => s with { OnlineStore = store, OnlineStoreEndpoint = $"{Redis.Host}:{Redis.Port}" });

    public void Dispose()
    {
        Cluster.Dispose();
        Redis.Dispose();
        Data.Dispose();
        Checkpoints.Dispose();
    }
}
