using Amlfs.Registry;
using Amlfs.Storage;
using Amlfs.Testing;
using Amlfs.Transactions;

namespace Amlfs.Kafka.Tests;

/// <summary>
/// Entity types joined on <c>ip_address</c> and <c>device_id</c> through Kafka workers, a RESP server and a stateless
/// replica: each join key gets a re-keyed topic of its own, which carries only the transactions that have the field,
/// and the replica's <c>/predict</c> reads the IP the request names.
/// </summary>
public sealed class IpAndDeviceWorkerTests : IDisposable
{
    private readonly DistributedRig _rig = new();

    public void Dispose() => _rig.Dispose();

    [Fact]
    public async Task Ips_and_devices_are_re_keyed_onto_topics_of_their_own_and_served_by_a_replica()
    {
        var definition = TestEngines.Default;
        new RegistryStore(_rig.Data.Path).Apply(DefinitionsLoader.DefaultText(), "features.yaml", DateTimeOffset.UtcNow);
        var topic = WorkerScenario.Topic();
        var traffic = WorkerScenario.Traffic(topic);
        // Every fifth without an IP and every seventh without a device: they must reach no such entity.
        List<Transaction> sent = [.. Enumerable.Range(0, 200).Select(i => traffic.Next().Transaction with
        {
            IpAddress = i % 5 == 0 ? null : "177.20.0." + (i % 4),
        })];
        sent = [.. sent.Select((t, i) => i % 7 == 0 ? t with { DeviceId = null } : t)];
        var withIp = sent.Count(t => t.IpAddress is not null);
        var withDevice = sent.Count(t => t.DeviceId is not null);
        WorkerScenario.Publish(_rig.Cluster, topic, sent);
        await using var store = await _rig.ConnectStoreAsync();

        using (var worker = _rig.StartWorker(topic, definition, store))
        {
            var expected = sent.Count * 2 + withIp + withDevice;
            worker.WaitFor(t => t.Consumed == expected);
            var totals = worker.Stop();
            Assert.Equal((expected, sent.Count + withIp + withDevice), (totals.Accepted, totals.Rekeyed));
            Assert.Contains(worker.Log.Messages, m => m.Contains($"{topic}.by-ip (keyed by ip_address: ip)", StringComparison.Ordinal));
        }

        Assert.Equal(withIp, _rig.Cluster.ReadAll($"{topic}.by-ip").Count);
        Assert.Equal(withDevice, _rig.Cluster.ReadAll($"{topic}.by-device").Count);
        WorkerScenario.AssertStoreEquals(store, WorkerScenario.Reference(sent, definition), sent);

        await using var replica = await _rig.StartReplicaAsync(store);
        var (status, body) = await replica.PostJsonAsync("/predict",
            """{"transaction_id": "P1", "customer_id": "NEW", "merchant_id": "SHOP", "amount": 300.0, "ip_address": "177.20.0.1"}""");
        var (_, ip) = await replica.GetJsonAsync("/features/ip/177.20.0.1");

        Assert.Equal(200, status);
        var accounts = sent.Where(t => t.IpAddress == "177.20.0.1").Select(t => t.CustomerId).Distinct().Count();
        Assert.True(accounts > 1);
        Assert.Equal(accounts, body.GetProperty("features_used").GetProperty("ip_unique_accounts_24h").GetDouble());
        Assert.Equal(accounts, ip.GetProperty("features").GetProperty("ip_unique_accounts_24h").GetDouble());
    }
}
