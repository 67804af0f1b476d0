using System.Globalization;
using System.Text.RegularExpressions;
using Amlfs.Kafka;
using Amlfs.Redis;
using Amlfs.Synthetic;
using Amlfs.Testing;

namespace Amlfs.Cli.Tests.Deploy;

/// <summary>
/// The processes deploy/ monitors, each having done some work: an embedded server, an API replica and a real
/// <c>amlfs worker</c> process (librdkafka's mock cluster, an in-process RESP server), with the text of each one's
/// <c>/metrics</c>. The server decides with a learned model whose sliding day holds enough decisions for drift, so
/// that its <c>/metrics</c> carries the population stability indexes the rules and the dashboard read (a server under
/// the rules model, or before a day's worth of decisions, has no such series).
/// </summary>
public sealed class MonitoredSystem : IAsyncLifetime
{
    private readonly WorkerRig _rig = new();
    private readonly TempDirectory _serverData = new();
    private AmlfsProcess? _worker;
    private RunningServer? _server;
    private RunningServer? _replica;
    private RedisOnlineStore? _store;

    public string ServerMetrics { get; private set; } = "";

    public string ReplicaMetrics { get; private set; } = "";

    public string WorkerMetrics { get; private set; } = "";

    /// <summary>The worker's standard output, for failure messages.</summary>
    public string WorkerOutput => _worker?.Output ?? "";

    public async Task InitializeAsync()
    {
        var topic = WorkerRig.NewTopic();
        var redis = _rig.RedisOptions;
        _worker = await AmlfsProcess.StartWorkerAsync(_rig.WorkerArgs(topic, "--checkpoint-interval", "0.3", "--data-dir", _rig.Data.Path, "--metrics-port", "0"));
        await _worker.WaitForOutputAsync("worker: metrics at ", TimeSpan.FromSeconds(30));
        var workerMetrics = new Uri(Regex.Match(_worker.Output, @"worker: metrics at (\S+)").Groups[1].Value);

        var traffic = new LiveTraffic(new SyntheticOptions { Customers = 20, Merchants = 5 }, TimeProvider.System, topic);
        using (var publisher = new TransactionPublisher(new KafkaPublisherOptions { BootstrapServers = _rig.Kafka.BootstrapServers, Topic = topic }))
        {
            for (var i = 0; i < 50; i++)
                publisher.Publish(traffic.Next().Transaction);
            Assert.Equal(0, publisher.Flush().Failed);
        }

        using var client = new HttpClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        // Until the worker has applied messages, saved a checkpoint and heard the brokers' high watermarks.
        while (!(WorkerMetrics.Contains("amlfs_kafka_consumer_lag_messages{", StringComparison.Ordinal)
                 && Regex.IsMatch(WorkerMetrics, @"^amlfs_ingest_accepted_total [1-9]", RegexOptions.Multiline)
                 && Regex.IsMatch(WorkerMetrics, @"^amlfs_worker_checkpoints_total [1-9]", RegexOptions.Multiline)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the worker's metrics never showed its work:{Environment.NewLine}{WorkerMetrics}{Environment.NewLine}{_worker.Output}");
            await Task.Delay(200);
            WorkerMetrics = await client.GetStringAsync(workerMetrics);
        }

        TestModels.TrainAndActivate(_serverData.Path);
        // The feature log has series of its own.
        _server = await RunningServer.StartAsync(dataDirectory: _serverData.Path, configure: s => s with { LogFeatures = true });
        var now = DateTimeOffset.UtcNow;
        await _server.PostJsonAsync("/transactions", DriftTraffic.Json("D", 1000, now.AddMinutes(-3)));
        // Until the decision stream has decided them: drift needs a thousand decisions in the day.
        var decided = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!Regex.IsMatch(ServerMetrics, "^amlfs_score_psi ", RegexOptions.Multiline))
        {
            Assert.True(DateTime.UtcNow < decided, $"the server's metrics never showed drift:{Environment.NewLine}{ServerMetrics}");
            await Task.Delay(100);
            ServerMetrics = await _server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        }

        await _server.PostJsonAsync("/transactions", Body("T1", "C1", "C2", now.AddMinutes(-2)));
        await _server.PostJsonAsync("/transactions", Body("T2", "C2", "C1", now.AddMinutes(-1)));
        await _server.PostJsonAsync("/predict", Body("P1", "C1", "C2", now));
        await _server.GetJsonAsync("/features/C1");
        ServerMetrics = await _server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        _store = await RedisOnlineStore.ConnectAsync(redis);
        _replica = await RunningServer.StartAsync(configure: s => s with { OnlineStore = _store, OnlineStoreEndpoint = redis.ToString() });
        await _replica.PostJsonAsync("/predict", Body("P2", "C1", "C2", DateTimeOffset.UtcNow));
        ReplicaMetrics = await _replica.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
    }

    public async Task DisposeAsync()
    {
        if (_replica is not null)
            await _replica.DisposeAsync();
        if (_store is not null)
            await _store.DisposeAsync();
        if (_server is not null)
            await _server.DisposeAsync();
        _worker?.Dispose();
        _rig.Dispose();
        _serverData.Dispose();
    }

    /// <summary>The names of every sample in an exposition: histograms' <c>_bucket</c>, <c>_sum</c> and <c>_count</c> series included.</summary>
    public static IReadOnlySet<string> SampleNames(string exposition) =>
        exposition.Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line[..line.IndexOfAny(['{', ' '])])
            .ToHashSet(StringComparer.Ordinal);

    private static string Body(string id, string from, string to, DateTimeOffset at) =>
        $$"""{"transaction_id":"{{id}}","customer_id":"{{from}}","merchant_id":"{{to}}","destination_type":"account","amount":25.5,"timestamp":"{{at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}}"}""";
}
