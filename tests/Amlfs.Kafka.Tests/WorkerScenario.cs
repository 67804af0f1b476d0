using Amlfs.Checkpoints;
using Amlfs.Engine;
using Amlfs.Kafka.Workers;
using Amlfs.OnlineStore;
using Amlfs.Registry;
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

    /// <summary>A worker of a group of its own consuming <paramref name="topic"/> into <paramref name="store"/>, logging to a <see cref="LineLogger"/>.</summary>
    public static WorkerRun StartWorker(KafkaMockCluster cluster, string topic, RegistryDefinition definition, IOnlineStore store, string checkpoints)
    {
        var log = new LineLogger();
        return new WorkerRun(new KafkaWorker(
            new KafkaWorkerOptions { BootstrapServers = cluster.BootstrapServers, Topic = topic, GroupId = "g-" + topic },
            definition, store, new DirectoryCheckpointStore(checkpoints), log), log);
    }

    /// <summary>
    /// Options of a worker of a group of its own on <paramref name="topic"/> that checkpoints every 300 ms and leaves a
    /// group that loses it after 6 s: tests of checkpoints and take-overs see several within a run.
    /// </summary>
    public static KafkaWorkerOptions FrequentCheckpoints(KafkaMockCluster cluster, string topic) => new()
    {
        BootstrapServers = cluster.BootstrapServers,
        Topic = topic,
        GroupId = "g-" + topic,
        CheckpointInterval = TimeSpan.FromMilliseconds(300),
        SessionTimeout = TimeSpan.FromSeconds(6),
    };

    /// <summary><see cref="DefinitionTexts.InflowDefinitions"/> without the merchant: accounts only, with their inflows.</summary>
    public static RegistryDefinition AccountsOnly()
    {
        var definition = DefinitionTexts.InflowDefinitions();
        return definition with
        {
            Entities = [.. definition.Entities.Where(e => e.JoinKey == TransactionField.CustomerId)],
            Views = [.. definition.Views.Where(v => v.Entity == "customer")],
            RequestFeatures = [.. definition.RequestFeatures.Where(f => f.Entity == "customer")],
        };
    }

    /// <summary>
    /// The messages the workers of the source topic re-key when they accept <paramref name="accepted"/>: one per other
    /// topic whose partitions host an end of each (the merchant, an account's inflows, an IP, a device).
    /// </summary>
    public static int Rekeyed(IEnumerable<Transaction> accepted, RegistryDefinition? definition = null)
    {
        var roles = WorkerTopics.For(FeaturePlan.Compile(definition ?? TestEngines.Default), "source").Roles;
        return accepted.Sum(t => roles.Count(r => r.Rekeys(t)));
    }

    /// <summary>The topics a worker of the definitions consumes: the source and each re-keyed one.</summary>
    public static int ConsumedTopics(RegistryDefinition? definition = null) =>
        WorkerTopics.For(FeaturePlan.Compile(definition ?? TestEngines.Default), "source").Roles.Count;

    /// <summary>One engine that ingested <paramref name="transactions"/> in order: what the workers together must serve.</summary>
    public static FeatureEngine Reference(IReadOnlyList<Transaction> transactions, RegistryDefinition? definition = null)
    {
        var engine = TestEngines.Inline(definition, clock: TimeProvider.System);
        foreach (var transaction in transactions)
            engine.Ingest(transaction);
        return engine;
    }

    /// <summary>
    /// Every entity that <paramref name="sent"/> reaches, at either end, read from the store's bytes (an account with
    /// inflows from its two partial states, merged as a replica merges them), bit-equal to the reference engine.
    /// </summary>
    public static void AssertStoreEquals(IOnlineStore store, FeatureEngine reference, IReadOnlyList<Transaction> sent)
    {
        using (reference)
        {
            var q = sent.Max(t => t.TimestampMs) + 1;
            foreach (var plan in reference.Plan.Entities)
            {
                foreach (var id in sent.SelectMany(t => EdgeEnds.EntityIds(plan.Definition, t)).Distinct())
                {
                    var format = reference.StateFormat;
                    var bytes = store.ReadAsync(OnlineStoreKey.For(format, plan.Name, id)).GetAwaiter().GetResult();
                    var inflows = plan.Definition.Inflows ? store.ReadAsync(OnlineStoreKey.ForInflows(format, plan.Name, id)).GetAwaiter().GetResult() : null;
                    Assert.True(bytes is not null || inflows is not null, $"{plan.Name} {id} is not in the online store");
                    var served = new double[plan.Features.Count];
                    StoredStates.Evaluate(format, plan, bytes, inflows, q, served, StoredStates.From(store, format, plan));
                    var expected = new double[plan.Features.Count];
                    reference.Read(plan, id, q, expected);
                    for (var i = 0; i < expected.Length; i++)
                        Assert.True(BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(served[i]),
                            $"{plan.Name} {id} {plan.Features[i].Name}: expected {expected[i]}, served {served[i]}");
                }
            }
        }
    }
}
