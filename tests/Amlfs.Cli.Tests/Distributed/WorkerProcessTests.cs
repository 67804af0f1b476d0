using System.Globalization;
using System.Text.RegularExpressions;
using Amlfs.Engine;
using Amlfs.Kafka;
using Amlfs.OnlineStore;
using Amlfs.Redis;
using Amlfs.Synthetic;
using Amlfs.Testing;
using Amlfs.Transactions;

namespace Amlfs.Cli.Tests.Distributed;

/// <summary>Real <c>amlfs worker</c> processes against librdkafka's mock cluster and an in-process RESP server.</summary>
[Trait("Category", "Process")]
public sealed class WorkerProcessTests : IDisposable
{
    private readonly WorkerRig _rig = new();

    public void Dispose() => _rig.Dispose();

    [Fact]
    public async Task Killing_one_of_two_workers_mid_stream_loses_no_event_and_counts_none_twice()
    {
        var topic = WorkerRig.NewTopic();
        var traffic = new LiveTraffic(new SyntheticOptions { Customers = 30, Merchants = 6 }, TimeProvider.System, topic);
        var sent = new List<Transaction>();
        using var publisher = new TransactionPublisher(new KafkaPublisherOptions { BootstrapServers = _rig.Kafka.BootstrapServers, Topic = topic });
        Publish(publisher, traffic, sent, 20); // the topic exists once written to

        var args = _rig.WorkerArgs(topic, "--checkpoint-interval", "0.3", "--session-timeout", "6", "--data-dir", _rig.Data.Path);
        using var doomed = await AmlfsProcess.StartWorkerAsync(args);
        using var survivor = await AmlfsProcess.StartWorkerAsync(args);
        await doomed.WaitForOutputAsync("Worker: assigned", TimeSpan.FromSeconds(60));
        await survivor.WaitForOutputAsync("Worker: assigned", TimeSpan.FromSeconds(60));

        for (var batch = 0; batch < 30; batch++)
        {
            Publish(publisher, traffic, sent, 20);
            if (batch == 12)
            {
                // Once one of its partitions has a checkpoint to take over from; then SIGKILL while it consumes: no
                // final checkpoint, no goodbye to the group.
                await WaitForACheckpointAsync(doomed, WorkerRig.GroupOf(topic));
                doomed.Kill();
            }

            await Task.Delay(40);
        }

        // Any transaction again, as a retrying producer would send it: a duplicate by id on whichever worker owns it.
        foreach (var transaction in sent.Take(15))
            publisher.Publish(transaction);
        Assert.Equal(0, publisher.Flush().Failed);

        using var reference = TestEngines.Inline(clock: TimeProvider.System);
        foreach (var transaction in sent)
            reference.Ingest(transaction);
        await using var store = await RedisOnlineStore.ConnectAsync(_rig.RedisOptions);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        IReadOnlyList<string> differences;
        while ((differences = await DifferencesAsync(store, reference, sent)).Count > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(250);

        Assert.True(differences.Count == 0, string.Join(Environment.NewLine, differences.Take(10)) + Environment.NewLine + survivor.Output);
        // The survivor took the killed worker's partitions over from their checkpoints, not from the start.
        Assert.Contains("from its checkpoint at offset", survivor.Output, StringComparison.Ordinal);
    }

    /// <summary>Waits until a partition the worker was assigned, as its log names them, has a checkpoint in the store.</summary>
    private async Task WaitForACheckpointAsync(AmlfsProcess worker, string group)
    {
        var output = worker.Output;
        var partitions = Regex.Matches(Regex.Match(output, "Worker: assigned (.*)").Groups[1].Value, @"([^\s,]+)\[(\d+)\]@")
            .Select(m => (Topic: m.Groups[1].Value, Partition: int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))
            .ToArray();
        Assert.NotEmpty(partitions);
        await using var checkpoints = await RedisCheckpointStore.ConnectAsync(_rig.RedisOptions);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            foreach (var (topic, partition) in partitions)
            {
                if (await checkpoints.LoadAsync(group, topic, partition) is not null)
                    return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no partition of the worker was checkpointed within a minute{Environment.NewLine}{output}");
            await Task.Delay(50);
        }
    }

    private static void Publish(TransactionPublisher publisher, LiveTraffic traffic, List<Transaction> sent, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var transaction = traffic.Next().Transaction;
            publisher.Publish(transaction);
            sent.Add(transaction);
        }

        Assert.Equal(0, publisher.Flush().Failed);
    }

    /// <summary>
    /// Every customer and merchant whose state in the store differs from the reference engine's, feature by feature; an
    /// account's two partial states (what it sent, what it received) are read and evaluated merged, as a replica does.
    /// </summary>
    private static async Task<IReadOnlyList<string>> DifferencesAsync(IOnlineStore store, FeatureEngine reference, IReadOnlyList<Transaction> sent)
    {
        var q = sent.Max(t => t.TimestampMs) + 1;
        var differences = new List<string>();
        foreach (var plan in reference.Plan.Entities)
        {
            var entity = plan.Name;
            var distinct = sent.SelectMany(t => EdgeEnds.EntityIds(plan.Definition, t)).Distinct().ToArray();
            var states = await store.ReadManyAsync(distinct.Select(id => OnlineStoreKey.For(reference.StateFormat, entity, id)).ToArray());
            var inflows = plan.Definition.Inflows
                ? await store.ReadManyAsync(distinct.Select(id => OnlineStoreKey.ForInflows(reference.StateFormat, entity, id)).ToArray())
                : new byte[]?[distinct.Length];
            var neighbours = StoredStates.From(store, reference.StateFormat, plan);
            var served = new double[plan.Features.Count];
            var expected = new double[plan.Features.Count];
            for (var k = 0; k < distinct.Length; k++)
            {
                StoredStates.Evaluate(reference.StateFormat, plan, states[k], inflows[k], q, served, neighbours);
                reference.Read(plan, distinct[k], q, expected);
                for (var i = 0; i < expected.Length; i++)
                {
                    if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(served[i]))
                        differences.Add($"{entity} {distinct[k]} {plan.Features[i].Name}: expected {expected[i]}, served {served[i]}");
                }
            }
        }

        return differences;
    }
}
