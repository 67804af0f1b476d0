using System.Globalization;
using System.Text.Json;
using Amlfs.Engine;
using Amlfs.Kafka.Workers;
using Amlfs.OnlineStore;
using Amlfs.Redis;
using Amlfs.Registry;
using Amlfs.Storage;
using Amlfs.Testing;
using Amlfs.Transactions;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Server.Tests;

/// <summary>
/// <c>serve --online-store</c>: a stateless replica over a real RESP server (Garnet, in process) on a real port answers
/// what the engine-backed server answers for the same events, bit for bit, once a worker has written the entity states.
/// </summary>
public sealed class ReplicaTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 15, 0, 0, TimeSpan.Zero);
    private static readonly string[] Customers = ["C1", "C2", "C3", "C4"];
    private static readonly string[] Merchants = ["M1", "M2", "M3"];

    private readonly FakeTimeProvider _clock = new(Now);
    private readonly RestartableGarnetServer _garnet = new();
    private readonly List<Transaction> _history = History();
    private RedisOnlineStore _store = null!;

    public async Task InitializeAsync()
    {
        _garnet.Start();
        _store = await RedisOnlineStore.ConnectAsync(StoreOptions);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _garnet.Dispose();
    }

    private RedisOnlineStoreOptions StoreOptions => new()
    {
        Host = _garnet.Host,
        Port = _garnet.Port,
        ReconnectInBackground = true,
        ConnectTimeout = TimeSpan.FromSeconds(2),
    };

    [Fact]
    public async Task A_replica_serves_the_features_the_embedded_server_serves()
    {
        await using var embedded = await StartEmbeddedAsync();
        await WriteStatesAsync();
        // On the embedded server's own data directory while it runs: a replica takes no lock and reads only the registry.
        await using var replica = await StartReplicaAsync(dataDirectory: embedded.DataDirectory);

        var at = Uri.EscapeDataString((Now - TimeSpan.FromMinutes(90)).ToString("O", CultureInfo.InvariantCulture));
        foreach (var path in Customers.Select(c => $"/features/{c}").Concat(Merchants.Select(m => $"/features/merchant/{m}"))
            .SelectMany(p => new[] { p, $"{p}?at={at}" }))
        {
            var (expectedStatus, expected) = await embedded.GetJsonAsync(path);
            var (status, actual) = await replica.GetJsonAsync(path);

            Assert.Equal((200, 200), (expectedStatus, status));
            Assert.True(actual.GetProperty("known").GetBoolean(), path);
            Assert.Equal(expected.GetProperty("as_of").GetString(), actual.GetProperty("as_of").GetString());
            Assert.Equal(expected.GetProperty("features").GetRawText(), actual.GetProperty("features").GetRawText());
        }

        var (_, c1) = await replica.GetJsonAsync("/features/C1");
        Assert.Contains(c1.GetProperty("features").EnumerateObject(), f => f.Value.GetDouble() != 0);
    }

    [Fact]
    public async Task A_replica_serves_accounts_from_their_outflow_and_inflow_states_as_the_embedded_server_does()
    {
        using var directory = new TempDirectory();
        new RegistryStore(directory.Path).Apply(DefinitionTexts.WithInflows(), "features.yaml", Now);
        var history = History(transfers: true);
        await using var embedded = await StartEmbeddedAsync(directory.Path, history);
        await WriteStatesAsync(definition: DefinitionTexts.InflowDefinitions(), history: history);
        await using var replica = await StartReplicaAsync(dataDirectory: directory.Path);

        foreach (var path in Customers.Select(c => $"/features/{c}").Concat(Merchants.Select(m => $"/features/merchant/{m}")))
        {
            var (_, expected) = await embedded.GetJsonAsync(path);
            var (status, actual) = await replica.GetJsonAsync(path);

            Assert.Equal(200, status);
            Assert.Equal(expected.GetProperty("features").GetRawText(), actual.GetProperty("features").GetRawText());
        }

        var (_, c1) = await replica.GetJsonAsync("/features/C1");
        Assert.NotEqual(0, c1.GetProperty("features").GetProperty("inflow_amount_sum_1h").GetDouble());
        await AssertSameBatchAsync(embedded, replica,
            Customers.Select((c, i) => Requests.Transaction($"P{i}", c, 3_000m + (i * 1_234.5m), Now - TimeSpan.FromMinutes(i), Merchants[i % Merchants.Length])).ToArray());
    }

    [Fact]
    public async Task A_replica_serves_graph_features_fetching_the_neighbours_the_searches_reach_as_the_embedded_server_does()
    {
        using var directory = new TempDirectory();
        new RegistryStore(directory.Path).Apply(DefinitionsLoader.DefaultText(), "features.yaml", Now);
        // Money that goes round C1 -> C2 -> C3 -> C4 -> C1, and C1 scattering to C2 and C3 who both pay C4.
        var start = Now - TimeSpan.FromHours(3);
        var history = new[] { ("C1", "C2"), ("C1", "C3"), ("C2", "C3"), ("C3", "C4"), ("C2", "C4"), ("C4", "C1"), ("C4", "C2") }
            .Select((edge, i) => Tx.Transfer((start + TimeSpan.FromMinutes(10 * i)).ToUnixTimeMilliseconds(), edge.Item1, edge.Item2, 500_00 + i))
            .Concat(History().Select(t => t with { TransactionId = "P" + t.TransactionId }))
            .OrderBy(t => t.TimestampMs).ToList();
        await using var embedded = await StartEmbeddedAsync(directory.Path, history);
        await WriteStatesAsync(definition: TestEngines.Default, history: history);
        await using var replica = await StartReplicaAsync(dataDirectory: directory.Path);

        foreach (var path in Customers.Select(c => $"/features/{c}"))
        {
            var (_, expected) = await embedded.GetJsonAsync(path);
            var (status, actual) = await replica.GetJsonAsync(path);

            Assert.Equal(200, status);
            Assert.Equal(expected.GetProperty("features").GetRawText(), actual.GetProperty("features").GetRawText());
        }

        var (_, c1) = await replica.GetJsonAsync("/features/C1");
        Assert.Equal(2, c1.GetProperty("features").GetProperty("cycle_count_24h").GetDouble()); // both of its payments come back through C4
        Assert.Equal(2, c1.GetProperty("features").GetProperty("scatter_gather_24h").GetDouble());
        var batch = Customers.Concat(Customers)
            .Select((c, i) => Requests.Transaction($"Q{i}", c, 3_000m, Now - TimeSpan.FromMinutes(i), Merchants[i % Merchants.Length])).ToArray();
        await AssertSameBatchAsync(embedded, replica, batch);

        // The batch's searches share their round trips: one for the entities it names, then one per level of neighbours
        // for all its transactions together, not one per level and transaction.
        var counted = new ControlledOnlineStore(_store);
        await using var counting = await StartReplicaAsync(counted, directory.Path);
        var reads = counted.Reads;
        var (countedStatus, _) = await counting.PostJsonAsync("/batch-predict", Requests.Array(batch));
        Assert.Equal(200, countedStatus);
        Assert.InRange(counted.Reads - reads, 2, 1 + GraphSearchRules.MaxHops);
    }

    [Fact]
    public async Task A_replica_scores_predict_and_batch_predict_as_the_embedded_server_does()
    {
        await using var embedded = await StartEmbeddedAsync();
        await WriteStatesAsync();
        await using var replica = await StartReplicaAsync();
        var requests = Customers.Select((c, i) => Requests.Transaction($"P{i}", c, 3_000m + (i * 1_234.5m), Now - TimeSpan.FromMinutes(i), Merchants[i % Merchants.Length]))
            .Append(Requests.Transaction("P9", "C1", 25m)) // at the receive time
            .ToArray();

        foreach (var request in requests)
        {
            var (expectedStatus, expected) = await embedded.PostJsonAsync("/predict", request);
            var (status, actual) = await replica.PostJsonAsync("/predict", request);

            Assert.Equal((200, 200), (expectedStatus, status));
            AssertSameScore(expected, actual);
        }

        var (batchStatus, batch) = await replica.PostJsonAsync("/batch-predict", Requests.Array(requests));
        var (_, expectedBatch) = await embedded.PostJsonAsync("/batch-predict", Requests.Array(requests));
        Assert.Equal(200, batchStatus);
        Assert.Equal(requests.Length, batch.GetArrayLength());
        for (var i = 0; i < requests.Length; i++)
            AssertSameScore(expectedBatch[i], batch[i]);
    }

    [Fact]
    public async Task A_replica_scores_with_the_learned_model_active_in_its_data_directory_as_the_embedded_server_does()
    {
        await using var embedded = await StartEmbeddedAsync();
        await WriteStatesAsync();
        var model = TestModels.TrainAndActivate(embedded.DataDirectory);
        _clock.Advance(TimeSpan.FromSeconds(1)); // the embedded server looks at the registry every second
        await using var replica = await StartReplicaAsync(dataDirectory: embedded.DataDirectory);
        var request = Requests.Transaction("P1", "C1", 12_500m, Now - TimeSpan.FromMinutes(1), "M1");

        var (_, expected) = await embedded.PostJsonAsync("/predict", request);
        var (status, actual) = await replica.PostJsonAsync("/predict", request);

        Assert.Equal(200, status);
        Assert.Equal(model.Version, actual.GetProperty("model_version").GetString());
        AssertSameScore(expected, actual);
        Assert.Equal(
            expected.GetProperty("contributions").GetProperty("raw_score").GetDouble(),
            actual.GetProperty("contributions").GetProperty("raw_score").GetDouble());
        Assert.Equal(expected.GetProperty("anomaly_score").GetDouble(), actual.GetProperty("anomaly_score").GetDouble());
    }

    [Fact]
    public async Task A_replica_reads_the_active_definitions_from_its_data_directory()
    {
        using var directory = new TempDirectory();
        var registry = new RegistryStore(directory.Path);
        var text = DefinitionTexts.WithCustomerFeature(DefinitionTexts.PeakHoursFeature);
        registry.Apply(text, "features.yaml", Now);
        await WriteStatesAsync(definition: DefinitionsLoader.Parse(text, "features.yaml"));
        await using var replica = await StartReplicaAsync(dataDirectory: directory.Path);

        var (_, features) = await replica.GetJsonAsync("/features/C1");
        var (_, definitions) = await replica.GetJsonAsync("/registry/features");

        Assert.Equal(1, definitions.GetProperty("version").GetInt32());
        Assert.True(features.GetProperty("known").GetBoolean());
        Assert.True(features.GetProperty("features").TryGetProperty("peak_hours_txn_count_1h", out _));
    }

    [Fact]
    public async Task An_unknown_entity_reads_as_zeros_and_known_false()
    {
        await WriteStatesAsync();
        await using var replica = await StartReplicaAsync();

        var (status, body) = await replica.GetJsonAsync("/features/NOBODY");
        var (merchantStatus, merchant) = await replica.GetJsonAsync("/features/merchant/NOWHERE");

        Assert.Equal((200, 200), (status, merchantStatus));
        Assert.False(body.GetProperty("known").GetBoolean());
        Assert.False(merchant.GetProperty("known").GetBoolean());
        Assert.All(body.GetProperty("features").EnumerateObject(), f => Assert.Equal(DefinitionTexts.QuietValue(f.Name), f.Value.GetDouble()));
        Assert.NotEmpty(body.GetProperty("features").EnumerateObject());
    }

    [Fact]
    public async Task Unreadable_bytes_in_the_store_answer_502_naming_the_entity()
    {
        using var engine = TestEngines.Inline(clock: _clock);
        var key = OnlineStoreKey.For(engine.StateFormat, "customer", "C1");
        var position = new StatePosition(StatePosition.LogOf("transactions/0"), await _store.NextEpochAsync(), 1);
        await _store.WriteAsync([new OnlineStoreEntry(key, "not an entity state"u8.ToArray(), position)], TimeSpan.FromHours(1));
        await using var replica = await StartReplicaAsync();

        var (status, problem) = await replica.GetJsonAsync("/features/C1");
        var (predictStatus, _) = await replica.PostJsonAsync("/predict", Requests.Transaction("P1", "C1", 10m));

        Assert.Equal((502, 502), (status, predictStatus));
        Assert.Contains("customer 'C1'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_as_of_time_in_the_future_or_older_than_the_query_history_is_refused()
    {
        await using var replica = await StartReplicaAsync();
        var future = Uri.EscapeDataString((Now + TimeSpan.FromHours(1)).ToString("O", CultureInfo.InvariantCulture));
        var old = Uri.EscapeDataString((Now - TimeSpan.FromDays(30)).ToString("O", CultureInfo.InvariantCulture));

        var (futureStatus, futureBody) = await replica.GetJsonAsync($"/features/C1?at={future}");
        var (oldStatus, oldBody) = await replica.GetJsonAsync($"/features/C1?at={old}");

        Assert.Equal((400, 400), (futureStatus, oldStatus));
        Assert.Contains("is in the future", futureBody.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("is older than the query history", oldBody.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_endpoints_of_a_replica_answer_503_pointing_to_kafka()
    {
        await using var replica = await StartReplicaAsync();

        var answers = new[]
        {
            await replica.PostJsonAsync("/transactions", Requests.Transaction("T1", "C1", 10m)),
            await replica.PostJsonAsync("/predict", Requests.Transaction("T2", "C1", 10m, record: true)),
            await replica.PostJsonAsync("/batch-predict", Requests.Array([Requests.Transaction("T3", "C1", 10m), Requests.Transaction("T4", "C1", 10m, record: true)])),
        };

        Assert.All(answers, answer =>
        {
            Assert.Equal(503, answer.Status);
            Assert.Equal("This replica does not ingest transactions", answer.Body.GetProperty("title").GetString());
            Assert.Contains("amlfs produce --kafka", answer.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        });
        var (predictStatus, _) = await replica.PostJsonAsync("/predict", Requests.Transaction("T5", "C1", 10m));
        Assert.Equal(200, predictStatus);
    }

    [Fact]
    public async Task Registry_docs_health_and_metrics_are_served_by_a_replica()
    {
        await WriteStatesAsync();
        await using var replica = await StartReplicaAsync();
        await replica.GetJsonAsync("/features/C1");

        var (registryStatus, registry) = await replica.GetJsonAsync("/registry/features");
        using var docs = await replica.Client.GetAsync(new Uri("/docs/index.html", UriKind.Relative));
        var (healthStatus, health) = await replica.GetJsonAsync("/health");
        var metrics = await replica.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(200, registryStatus);
        Assert.NotEmpty(registry.GetProperty("features").EnumerateArray());
        Assert.Equal(System.Net.HttpStatusCode.OK, docs.StatusCode);
        Assert.Equal(200, healthStatus);
        var store = health.GetProperty("components").GetProperty("online_store");
        Assert.Equal("healthy", store.GetProperty("status").GetString());
        Assert.Equal(StoreOptions.ToString(), store.GetProperty("details").GetProperty("endpoint").GetString());
        Assert.False(health.GetProperty("components").TryGetProperty("engine", out _));
        Assert.Contains("amlfs_online_store_errors_total 0", metrics, StringComparison.Ordinal);
        Assert.Contains("amlfs_online_store_read_duration_seconds_count 1", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("amlfs_ingest_accepted_total", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task While_the_online_store_is_down_reads_answer_503_and_they_succeed_again_once_it_is_back()
    {
        await WriteStatesAsync();
        await using var replica = await StartReplicaAsync();
        var (_, before) = await replica.GetJsonAsync("/features/C1");

        _garnet.Stop();
        using var down = await WaitForStatusAsync(replica, "/features/C1", 503);
        var problem = await ReadJsonAsync(down);
        var (predictStatus, predictProblem) = await replica.PostJsonAsync("/predict", Requests.Transaction("P1", "C1", 10m));
        var (batchStatus, _) = await replica.PostJsonAsync("/batch-predict", Requests.Array([Requests.Transaction("P2", "C1", 10m)]));
        var (merchantStatus, _) = await replica.GetJsonAsync("/features/merchant/M1");
        var (healthStatus, health) = await replica.GetJsonAsync("/health");
        var metrics = await replica.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
        Assert.Equal("1", string.Join(",", down.Headers.GetValues("Retry-After")));
        Assert.Equal("The online store is unavailable", problem.GetProperty("title").GetString());
        Assert.Contains($"the online store at {StoreOptions} is unavailable", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("can be retried", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal((503, 503, 503), (predictStatus, batchStatus, merchantStatus));
        Assert.Equal("The online store is unavailable", predictProblem.GetProperty("title").GetString());
        Assert.Equal(503, healthStatus);
        Assert.Equal("unhealthy", health.GetProperty("status").GetString());
        var store = health.GetProperty("components").GetProperty("online_store");
        Assert.Equal("unhealthy", store.GetProperty("status").GetString());
        Assert.Contains(_garnet.Endpoint, store.GetProperty("details").GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("amlfs_online_store_errors_total 0\n", metrics, StringComparison.Ordinal);

        _garnet.Start(); // an empty server on the same port, as after a restart without persistence
        using (await WaitForStatusAsync(replica, "/features/C1", 200))
        {
        }

        await WriteStatesAsync();
        var (afterStatus, after) = await replica.GetJsonAsync("/features/C1");
        var (healthAfter, _) = await replica.GetJsonAsync("/health");
        Assert.Equal((200, 200), (afterStatus, healthAfter));
        Assert.Equal(before.GetProperty("features").GetRawText(), after.GetProperty("features").GetRawText());
    }

    [Fact]
    public async Task A_replica_started_while_the_online_store_is_down_serves_once_it_is_up()
    {
        _garnet.Stop();
        await using var store = await RedisOnlineStore.ConnectAsync(StoreOptions);
        await using var replica = await StartReplicaAsync(store);

        var (status, _) = await replica.GetJsonAsync("/features/C1");
        var (healthStatus, _) = await replica.GetJsonAsync("/health");
        Assert.Equal((503, 503), (status, healthStatus));

        _garnet.Start();
        using (await WaitForStatusAsync(replica, "/features/C1", 200))
        {
        }

        await WriteStatesAsync(store);
        var (_, body) = await replica.GetJsonAsync("/features/C1");
        var (healthAfter, _) = await replica.GetJsonAsync("/health");
        Assert.True(body.GetProperty("known").GetBoolean());
        Assert.Equal(200, healthAfter);
    }

    /// <summary>
    /// Events of the three hours before <see cref="Now"/>, in time order, over a few customers and merchants; with
    /// <paramref name="transfers"/>, every fourth is a transfer to one of the customers' accounts.
    /// </summary>
    private static List<Transaction> History(bool transfers = false)
    {
        var random = new Random(11);
        var start = (Now - TimeSpan.FromHours(3)).ToUnixTimeMilliseconds();
        return Enumerable.Range(0, 400)
            .Select(_ => start + random.NextInt64(0, 3 * 3_600_000L - 60_000))
            .Order()
            .Select(time => Tx.At(time, Customers[random.Next(Customers.Length)], Merchants[random.Next(Merchants.Length)],
                random.NextInt64(1_00, 9_000_00), $"10.0.0.{random.Next(6)}"))
            .Select((t, i) => transfers && i % 4 == 0 ? t with { MerchantId = Customers[i % Customers.Length], DestinationType = DestinationType.Account } : t)
            .ToList();
    }

    private async Task<RunningServer> StartEmbeddedAsync(string? dataDirectory = null, IReadOnlyList<Transaction>? history = null)
    {
        var server = await RunningServer.StartAsync(_clock, dataDirectory);
        foreach (var chunk in (history ?? _history).Chunk(200))
        {
            var (status, answer) = await server.PostJsonAsync("/transactions", Requests.Array(chunk.Select(Requests.Of)));
            Assert.Equal(200, status);
            Assert.Equal(chunk.Length, answer.GetProperty("accepted").GetInt32());
        }

        return server;
    }

    private Task<RunningServer> StartReplicaAsync(IOnlineStore? store = null, string? dataDirectory = null) =>
        RunningServer.StartAsync(_clock, dataDirectory, s => s with { OnlineStore = store ?? _store, OnlineStoreEndpoint = StoreOptions.ToString() });

    /// <summary>
    /// What the workers do: each topic's engine applies the events and writes the state of every entity end it keeps
    /// under its key (an account with inflows: its outflows from the source topic, its inflows from the merchant
    /// topic), at the position of its own log.
    /// </summary>
    private async Task WriteStatesAsync(IOnlineStore? store = null, RegistryDefinition? definition = null, IReadOnlyList<Transaction>? history = null)
    {
        store ??= _store;
        var epoch = await store.NextEpochAsync();
        var plan = FeaturePlan.Compile(definition ?? TestEngines.Default);
        var entries = new List<OnlineStoreEntry>();
        // Every id the history names at any end: customers, merchants, IPs and devices.
        var ids = (history ?? _history).SelectMany(t => new[] { t.CustomerId, t.MerchantId, t.IpAddress, t.DeviceId }).OfType<string>().Distinct().ToArray();
        foreach (var role in WorkerTopics.For(plan, "transactions").Roles)
        {
            using var engine = TestEngines.Inline(definition, _clock, role.PartitionOptions);
            foreach (var transaction in history ?? _history)
                Assert.Equal(IngestStatus.Accepted, engine.Ingest(transaction));
            // A worker's position: the log it applied, the epoch it took when it was given the log, each entity's sequence.
            var log = StatePosition.LogOf(role.Topic + "/0");
            foreach (var entity in role.Entities.Concat(role.Inflows))
            {
                foreach (var id in ids)
                {
                    if (engine.ExportEntityState(entity, id, out var sequence) is { } state)
                        entries.Add(new OnlineStoreEntry(role.StateKey(engine.StateFormat, entity, id), state, new StatePosition(log, epoch, sequence)));
                }
            }
        }

        await store.WriteAsync(entries, TimeSpan.FromHours(1));
    }

    /// <summary>Scores the requests in one /batch-predict on both servers; the replica must answer 200 with the same scores.</summary>
    private static async Task AssertSameBatchAsync(RunningServer embedded, RunningServer replica, string[] requests)
    {
        var (_, expected) = await embedded.PostJsonAsync("/batch-predict", Requests.Array(requests));
        var (status, actual) = await replica.PostJsonAsync("/batch-predict", Requests.Array(requests));
        Assert.Equal(200, status);
        for (var i = 0; i < requests.Length; i++)
            AssertSameScore(expected[i], actual[i]);
    }

    private static void AssertSameScore(JsonElement expected, JsonElement actual)
    {
        foreach (var field in new[] { "transaction_id", "risk_score", "risk_level", "features_used", "explanation", "model_version", "scored_at" })
            Assert.Equal(expected.GetProperty(field).GetRawText(), actual.GetProperty(field).GetRawText());
    }

    /// <summary>Polls until the path answers <paramref name="status"/>; the bound only keeps a broken replica from hanging the run.</summary>
    private static async Task<HttpResponseMessage> WaitForStatusAsync(RunningServer server, string path, int status)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await server.Client.GetAsync(new Uri(path, UriKind.Relative));
            if ((int)response.StatusCode == status || attempt == 300)
                return response;
            response.Dispose();
            await Task.Delay(100);
        }
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }
}
