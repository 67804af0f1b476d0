using Amlfs.Checkpoints;
using Amlfs.Engine;
using Amlfs.Kafka.Workers;
using Amlfs.OnlineStore;
using Amlfs.Redis;
using Amlfs.Testing;
using Amlfs.Testing.Contracts;
using Amlfs.Transactions;

namespace Amlfs.Kafka.Tests;

/// <summary>
/// A worker the group has replaced while it still runs, against the Redis online store on a server that a subclass
/// names: the worker applied a batch and hung writing its states (a stuck store call) past its poll interval, so the
/// group gave its partitions to a second worker, which replayed them from the start and went further; then the first
/// worker's write goes through. The store must refuse every state of it, and no entity's state may go back in time.
/// </summary>
public abstract class ReplacedWorkerContract : IAsyncLifetime
{
    private readonly KafkaMockCluster _cluster = new();
    private readonly TempDirectory _checkpoints = new();
    private readonly List<RedisOnlineStore> _stores = [];

    protected abstract RedisOnlineStoreOptions Options { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
            await store.DisposeAsync();
        _cluster.Dispose();
        _checkpoints.Dispose();
    }

    [ContractFact]
    public async Task A_replaced_worker_that_still_flushes_its_held_states_takes_no_entity_back_in_time()
    {
        var topic = WorkerScenario.Topic();
        var traffic = WorkerScenario.Traffic(topic);
        // Entities of this run only: a real server keeps the states earlier runs wrote for the generator's ids.
        Transaction Next()
        {
            var transaction = traffic.Next().Transaction;
            return transaction with
            {
                CustomerId = $"{topic}-{transaction.CustomerId}",
                MerchantId = $"{topic}-{transaction.MerchantId}",
                IpAddress = transaction.IpAddress is null ? null : RunIp(topic, transaction.IpAddress),
                DeviceId = transaction.DeviceId is null ? null : $"{topic}-{transaction.DeviceId}",
            };
        }

        var first = Enumerable.Range(0, 150).Select(_ => Next()).ToList();
        var second = Enumerable.Range(0, 150).Select(_ => Next()).ToList();
        List<Transaction> all = [.. first, .. second];
        WorkerScenario.Publish(_cluster, topic, first);
        var observer = await ConnectAsync();
        var hanging = new ControlledOnlineStore(await ConnectAsync());
        hanging.Hold();

        using var replaced = StartWorker(topic, hanging);
        // It applies what it fetched and hangs writing the states: it stops polling, and the group drops it.
        WorkerRun.WaitFor(() => hanging.HeldWrites == 1, replaced);
        var rekeyedByReplaced = replaced.Totals.Rekeyed;
        using var watch = new SequenceWatch(observer, all);
        using (var successor = StartWorker(topic, await ConnectAsync()))
        {
            successor.WaitFor(t => t.Partitions == WorkerScenario.ConsumedTopics() * Development.MockKafkaCluster.PartitionsPerTopic);
            WorkerScenario.Publish(_cluster, topic, second);
            // Every source message, the replaced worker's re-keyed copies and its own.
            successor.WaitFor(t => t.Consumed == all.Count + WorkerScenario.Rekeyed(all) + rekeyedByReplaced);
            successor.Stop();
        }

        hanging.Release();
        // Its write returns, refused or not, and it goes on.
        replaced.WaitFor(t => t.StatesWritten + t.StaleStates > 0);
        var totals = replaced.Stop();

        // It kept writing, and the store refused every state it wrote.
        Assert.Equal(0, totals.StatesWritten);
        Assert.True(totals.StaleStates > 0);
        Assert.Empty(watch.Stop());
        WorkerScenario.AssertStoreEquals(observer, WorkerScenario.Reference(all), all);
    }

    /// <summary>An IPv6 address of this run alone for a generated IPv4 address: the run's topic suffix as its prefix.</summary>
    private static string RunIp(string topic, string ip)
    {
        var run = topic[^8..];
        var octets = System.Net.IPAddress.Parse(ip).GetAddressBytes();
        // In the canonical form the API gives an address, as states are keyed.
        return System.Net.IPAddress.Parse(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"fd{run[..2]}:{run[2..6]}:{run[6..]}00::{octets[2]:x2}{octets[3]:x2}")).ToString();
    }

    private async Task<RedisOnlineStore> ConnectAsync()
    {
        var store = await RedisOnlineStore.ConnectAsync(Options);
        _stores.Add(store);
        return store;
    }

    private WorkerRun StartWorker(string topic, IOnlineStore store)
    {
        var log = new LineLogger();
        var options = new KafkaWorkerOptions
        {
            BootstrapServers = _cluster.BootstrapServers,
            Topic = topic,
            GroupId = "g-" + topic,
            CheckpointInterval = TimeSpan.FromMilliseconds(300),
            SessionTimeout = TimeSpan.FromSeconds(6),
            MaxPollInterval = TimeSpan.FromSeconds(6),
        };
        return new WorkerRun(new KafkaWorker(options, TestEngines.Default, store, new DirectoryCheckpointStore(_checkpoints.Path), log), log);
    }

    /// <summary>
    /// Reads every entity's state from the store over and over until stopped, and keeps each time an entity's log
    /// sequence was lower than one read before: a state that went back in time.
    /// </summary>
    private sealed class SequenceWatch : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task<List<string>> _watching;

        public SequenceWatch(IOnlineStore store, IReadOnlyList<Transaction> sent)
        {
            var format = new EntityStateFormat(FeaturePlan.Compile(TestEngines.Default));
            var entities = new[] { ("customer", sent.Select(t => t.CustomerId)), ("merchant", sent.Select(t => t.MerchantId)) }
                .SelectMany(p => p.Item2.Distinct().Select(id => (Plan: format.Plan.Entity(p.Item1)!, Id: id)))
                .ToArray();
            var keys = entities.Select(e => OnlineStoreKey.For(format, e.Plan.Name, e.Id)).ToArray();
            var q = sent.Max(t => t.TimestampMs) + 1;
            _watching = Task.Run(async () =>
            {
                var seen = new long[keys.Length];
                var wentBack = new List<string>();
                while (!_stop.IsCancellationRequested)
                {
                    var states = await store.ReadManyAsync(keys);
                    for (var i = 0; i < keys.Length; i++)
                    {
                        var plan = entities[i].Plan;
                        var sequence = StoredStates.Evaluate(format, plan, states[i], null, q, new double[plan.Features.Count],
                            StoredStates.From(store, format, plan));
                        if (sequence < seen[i])
                            wentBack.Add($"{keys[i]}: sequence {sequence} read after {seen[i]}");
                        seen[i] = Math.Max(seen[i], sequence);
                    }

                    await Task.Delay(5);
                }

                return wentBack;
            });
        }

        /// <summary>Stops watching; returns every state that went back in time.</summary>
        public List<string> Stop()
        {
            _stop.Cancel();
            return _watching.GetAwaiter().GetResult();
        }

        public void Dispose()
        {
            if (!_watching.IsCompleted)
                _stop.Cancel();
            _stop.Dispose();
        }
    }
}
