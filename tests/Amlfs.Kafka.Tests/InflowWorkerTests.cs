using Amlfs.Engine;
using Amlfs.OnlineStore;
using Amlfs.Storage;
using Amlfs.Testing;
using Amlfs.Transactions;

namespace Amlfs.Kafka.Tests;

/// <summary>
/// Accounts with inflows through Kafka workers, a RESP server and a stateless replica: the worker of the source topic
/// keeps what an account sends, the worker of the merchant-keyed topic what it receives, each writes its own key, and
/// a replica reads both in one round trip and serves the account as one engine would.
/// </summary>
public sealed class InflowWorkerTests : IDisposable
{
    private readonly DistributedRig _rig = new();

    public void Dispose() => _rig.Dispose();

    [Fact]
    public async Task A_transfer_shows_in_the_receivers_inflows_and_the_senders_outflows_read_through_a_replica()
    {
        var definition = DefinitionTexts.InflowDefinitions();
        new RegistryStore(_rig.Data.Path).Apply(DefinitionTexts.WithInflows(), "features.yaml", DateTimeOffset.UtcNow);
        var topic = WorkerScenario.Topic();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        List<Transaction> sent =
        [
            Tx.Transfer(now - 120_000, "ALICE", "BOB", cents: 4_800_00, id: topic + "-ab"),
            Tx.At(now - 60_000, customer: "BOB", merchant: "SHOP", cents: 12_00, id: topic + "-bs"),
            .. Traffic(topic, 240),
        ];
        WorkerScenario.Publish(_rig.Cluster, topic, sent);
        await using var store = await _rig.ConnectStoreAsync();

        using (var worker = _rig.StartWorker(topic, definition, store))
        {
            // Every message once on the source topic, then once more on the merchant topic, which hosts both the
            // merchants and the inflows of accounts, and on the IP's and the device's topics when it has them.
            var rekeyed = WorkerScenario.Rekeyed(sent, definition);
            Assert.True(rekeyed > sent.Count);
            worker.WaitFor(t => t.Consumed == sent.Count + rekeyed);
            var totals = worker.Stop();
            Assert.Equal((sent.Count + rekeyed, rekeyed), (totals.Accepted, totals.Rekeyed));
        }

        WorkerScenario.AssertStoreEquals(store, WorkerScenario.Reference(sent, definition), sent);
        var format = new EntityStateFormat(FeaturePlan.Compile(definition));
        Assert.Null(await store.ReadAsync(OnlineStoreKey.ForInflows(format, "customer", "ALICE"))); // ALICE only sent
        Assert.NotNull(await store.ReadAsync(OnlineStoreKey.ForInflows(format, "customer", "BOB")));

        await using var replica = await _rig.StartReplicaAsync(store);
        var (bobStatus, bob) = await replica.GetJsonAsync("/features/BOB");
        var (_, alice) = await replica.GetJsonAsync("/features/ALICE");
        var (predictStatus, _) = await replica.PostJsonAsync("/predict", """{"transaction_id": "P1", "customer_id": "BOB", "merchant_id": "SHOP", "amount": 300.0}""");

        Assert.Equal((200, 200), (bobStatus, predictStatus));
        Assert.True(bob.GetProperty("known").GetBoolean());
        var received = bob.GetProperty("features");
        Assert.Equal((4_800.0, 1.0), (received.GetProperty("inflow_amount_sum_1h").GetDouble(), received.GetProperty("fan_in_accounts_1h").GetDouble()));
        Assert.Equal((1.0, 12.0), (received.GetProperty("txn_count_1h").GetDouble(), received.GetProperty("txn_amount_sum_1h").GetDouble()));
        Assert.Equal(4_800.0, received.GetProperty("flow_amount_max_24h").GetDouble());
        var paid = alice.GetProperty("features");
        Assert.Equal((1.0, 4_800.0, 0.0), (paid.GetProperty("txn_count_1h").GetDouble(), paid.GetProperty("txn_amount_sum_1h").GetDouble(),
            paid.GetProperty("inflow_amount_sum_1h").GetDouble()));
        Assert.Equal(1.0, paid.GetProperty("fan_out_counterparties_1h").GetDouble());
    }

    [Fact]
    public async Task Without_a_merchant_entity_only_transfers_are_re_keyed_and_every_account_is_served_as_one_engine()
    {
        var definition = WorkerScenario.AccountsOnly();
        var topic = WorkerScenario.Topic();
        var sent = Traffic(topic, 150).ToList();
        var transfers = sent.Count(t => t.DestinationType == DestinationType.Account);
        WorkerScenario.Publish(_rig.Cluster, topic, sent);
        await using var store = await _rig.ConnectStoreAsync();

        using (var worker = _rig.StartWorker(topic, definition, store))
        {
            worker.WaitFor(t => t.Consumed == sent.Count + transfers);
            var totals = worker.Stop();
            Assert.Equal((sent.Count + transfers, transfers), (totals.Accepted, totals.Rekeyed));
        }

        Assert.Equal(transfers, _rig.Cluster.ReadAll($"{topic}.by-destination").Count);
        WorkerScenario.AssertStoreEquals(store, WorkerScenario.Reference(sent, definition), sent);
    }

    /// <summary>Generated traffic in which every third transaction is a transfer to another of its customers.</summary>
    private static IEnumerable<Transaction> Traffic(string topic, int count)
    {
        var traffic = WorkerScenario.Traffic(topic);
        var generated = Enumerable.Range(0, count).Select(_ => traffic.Next().Transaction).ToList();
        var customers = generated.Select(t => t.CustomerId).Distinct().ToArray();
        return generated.Select((t, i) => i % 3 != 0 ? t : t with
        {
            MerchantId = customers[i % customers.Length],
            DestinationType = DestinationType.Account,
        });
    }
}
