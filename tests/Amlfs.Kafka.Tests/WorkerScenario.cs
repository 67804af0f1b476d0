using Amlfs.Engine;
using Amlfs.OnlineStore;
using Amlfs.Synthetic;
using Amlfs.Testing;
using Amlfs.Transactions;

namespace Amlfs.Kafka.Tests;

/// <summary>What the worker tests share: generated traffic, publishing it, and the store checked against a reference engine.</summary>
internal static class WorkerScenario
{
    public static string Topic() => "tx-" + Guid.NewGuid().ToString("N")[..8];

    public static LiveTraffic Traffic(string runId, int customers = 25, int merchants = 6) =>
        new(new SyntheticOptions { Customers = customers, Merchants = merchants }, TimeProvider.System, runId);

    public static void Publish(KafkaMockCluster cluster, string topic, IReadOnlyList<Transaction> transactions)
    {
        using var publisher = new TransactionPublisher(new KafkaPublisherOptions { BootstrapServers = cluster.BootstrapServers, Topic = topic });
        foreach (var transaction in transactions)
            publisher.Publish(transaction);
        Assert.Equal(0, publisher.Flush().Failed);
    }

    /// <summary>One engine that ingested <paramref name="transactions"/> in order: what the workers together must serve.</summary>
    public static FeatureEngine Reference(IReadOnlyList<Transaction> transactions)
    {
        var engine = TestEngines.Inline(clock: TimeProvider.System);
        foreach (var transaction in transactions)
            engine.Ingest(transaction);
        return engine;
    }

    /// <summary>Every entity of <paramref name="sent"/>, read from the store's bytes, bit-equal to the reference engine.</summary>
    public static void AssertStoreEquals(IOnlineStore store, FeatureEngine reference, IReadOnlyList<Transaction> sent)
    {
        using (reference)
        {
            var q = sent.Max(t => t.TimestampMs) + 1;
            foreach (var (entity, ids) in new[] { ("customer", sent.Select(t => t.CustomerId)), ("merchant", sent.Select(t => t.MerchantId)) })
            {
                var plan = reference.Plan.Entity(entity)!;
                foreach (var id in ids.Distinct())
                {
                    var bytes = store.ReadAsync(OnlineStoreKey.For(reference.StateFormat, entity, id)).GetAwaiter().GetResult();
                    Assert.True(bytes is not null, $"{entity} {id} is not in the online store");
                    var served = new double[plan.Features.Count];
                    reference.StateFormat.Evaluate(plan, bytes, q, served);
                    var expected = new double[plan.Features.Count];
                    reference.Read(plan, id, q, expected);
                    for (var i = 0; i < expected.Length; i++)
                        Assert.True(BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(served[i]),
                            $"{entity} {id} {plan.Features[i].Name}: expected {expected[i]}, served {served[i]}");
                }
            }
        }
    }
}
