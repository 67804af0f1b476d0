using Amlfs.Cli.Produce;
using Amlfs.Kafka;
using Amlfs.Kafka.Development;
using Amlfs.Kafka.Workers;
using Amlfs.Privacy;
using Amlfs.Redis;
using Amlfs.Registry;
using Amlfs.Synthetic;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Amlfs.Cli.Distributed;

/// <summary>
/// The distributed topology on one machine, for a trial of <c>up --distributed</c>: librdkafka's mock Kafka cluster,
/// an in-process Redis-protocol server (Garnet), a consumer group of Kafka workers on threads of their own and,
/// optionally, a synthetic producer publishing to Kafka. The workers decide every transaction and publish the
/// decisions. The API replica runs beside it, reading the Redis and the decisions. Every
/// piece is a development stand-in: in memory, gone when the process ends. Disposing stops the producer, then the
/// workers (each checkpoints and leaves the group), then the servers.
/// </summary>
internal sealed class DistributedTrial : IAsyncDisposable
{
    private readonly MockKafkaCluster _kafka;
    private readonly EmbeddedRedisServer _redis;
    private readonly List<(KafkaWorker Worker, Task Running, RedisOnlineStore Store, RedisCheckpointStore Checkpoints, WorkerDecider? Decider)> _workers = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _producer;
    private TransactionPublisher? _publisher;

    private DistributedTrial(MockKafkaCluster kafka, EmbeddedRedisServer redis)
    {
        _kafka = kafka;
        _redis = redis;
    }

    /// <summary>The mock brokers; other processes (<c>amlfs worker</c>, <c>amlfs produce --kafka</c>) may join them.</summary>
    public string BootstrapServers => _kafka.BootstrapServers;

    /// <summary>The in-process Redis-protocol server.</summary>
    public RedisOnlineStoreOptions Redis => new() { Host = _redis.Host, Port = _redis.Port };

    /// <summary>The topics the workers consume and write.</summary>
    public WorkerTopics? Topics => _workers.Count > 0 ? _workers[0].Worker.Topics : null;

    /// <summary>The workers' consumer group.</summary>
    public static string Group => KafkaWorkerOptions.DefaultGroup;

    /// <summary>What each worker has done so far.</summary>
    public IReadOnlyList<WorkerTotals> WorkerTotals => [.. _workers.Select(w => w.Worker.Totals)];

    /// <summary>What the producer has published so far, or null without one.</summary>
    public PublishTotals? Published => _publisher?.Totals;

    /// <summary>Why a worker stopped on its own, if one did.</summary>
    public IReadOnlyList<Exception> Failures =>
        [.. _workers.Where(w => w.Running.IsFaulted).Select(w => w.Running.Exception!.GetBaseException())];

    /// <summary>
    /// Starts Kafka, the Redis-protocol server and <paramref name="workers"/> workers over <paramref name="definition"/>;
    /// with <paramref name="decide"/>, the workers decide every transaction with its active model and rules (a
    /// <see cref="WorkerDecider"/>) and publish the decisions.
    /// </summary>
    public static async Task<DistributedTrial> StartAsync(
        RegistryDefinition definition, int workers, WorkerDeciderSettings? decide, ILoggerFactory loggers, TimeProvider clock, CancellationToken cancellationToken,
        Pseudonymizer? pseudonyms = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        var kafka = new MockKafkaCluster();
        EmbeddedRedisServer redis;
        try
        {
            redis = new EmbeddedRedisServer();
        }
        catch
        {
            kafka.Dispose();
            throw;
        }

        var trial = new DistributedTrial(kafka, redis);
        try
        {
            // The source topic now, so that the workers are assigned it at once; they ask for the topics they write.
            kafka.CreateTopics(KafkaPublisherOptions.DefaultTopic);
            for (var i = 0; i < workers; i++)
                await trial.StartWorkerAsync(definition, i + 1, decide, pseudonyms, loggers, clock, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await trial.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return trial;
    }

    /// <summary>Publishes synthetic transactions to the source topic at <paramref name="rate"/> per second until disposed.</summary>
    public void StartProducer(double rate, TimeProvider clock)
    {
        _publisher = new TransactionPublisher(new KafkaPublisherOptions { BootstrapServers = BootstrapServers });
        var traffic = new LiveTraffic(new SyntheticOptions(), clock);
        var run = new KafkaProduceRun(new ProduceOptions { Url = new Uri("kafka://" + BootstrapServers.Split(',')[0]), Rate = rate, KafkaBootstrapServers = BootstrapServers }, _publisher, traffic, clock, AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) }));
        _producer = Task.Run(() => run.RunAsync(_stop.Token));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_producer is not null)
            await _producer.ConfigureAwait(false);
        _publisher?.Dispose();
        foreach (var (worker, running, store, checkpoints, decider) in _workers)
        {
            // A worker that failed has said why (Failures); the others stop cleanly here.
            await running.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            worker.Dispose();
            decider?.Dispose();
            await checkpoints.DisposeAsync().ConfigureAwait(false);
            await store.DisposeAsync().ConfigureAwait(false);
        }

        _redis.Dispose();
        _kafka.Dispose();
        _stop.Dispose();
    }

    private async Task StartWorkerAsync(
        RegistryDefinition definition, int number, WorkerDeciderSettings? decide, Pseudonymizer? pseudonyms, ILoggerFactory loggers, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var store = await RedisOnlineStore.ConnectAsync(Redis, cancellationToken).ConfigureAwait(false);
        var checkpoints = await RedisCheckpointStore.ConnectAsync(Redis, cancellationToken).ConfigureAwait(false);
        var decider = decide is null ? null : new WorkerDecider(decide, store, Redis.ToString(), clock, loggers);
        var worker = new KafkaWorker(new KafkaWorkerOptions { BootstrapServers = BootstrapServers, ClientId = $"amlfs-worker-{number}", Pseudonyms = pseudonyms }, definition, store, checkpoints,
            loggers.CreateLogger($"Amlfs.Worker{number}"), clock, decider);
        _workers.Add((worker, worker.Start(_stop.Token), store, checkpoints, decider));
    }
}
