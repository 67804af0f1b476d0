using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Amlfs.Checkpoints;
using Amlfs.Cli.Bench;
using Amlfs.Cli.Distributed;
using Amlfs.Kafka.Development;
using Amlfs.OnlineStore;
using Amlfs.Redis;
using Amlfs.Registry;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;

namespace Amlfs.Cli.Commands;

/// <summary>
/// <c>amlfs bench worker</c>: one Kafka worker on librdkafka's mock cluster (<see cref="WorkerBench"/>), writing to an
/// embedded Garnet server or to memory; prints one JSON line last.
/// </summary>
internal static class WorkerBenchCommand
{
    private const string Garnet = "garnet";
    private const string Memory = "memory";
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static Command Create(CliEnvironment environment)
    {
        var messages = new Option<int>("--messages")
        {
            Description = $"Messages published to the source topic; the worker consumes each on the source topic, then again on each re-keyed topic that hosts an end of it (merchant, IP, device); at most {WorkerBench.MaxMessages:N0}, what the mock brokers keep",
            DefaultValueFactory = _ => 40_000,
        };
        var warmup = new Option<int>("--warmup")
        {
            Description = "Messages another worker consumes first, on other topics, so that the measured one runs JIT-optimized code; 0 measures a cold process",
            DefaultValueFactory = _ => 20_000,
        };
        var onlineStore = new Option<string>("--online-store")
        {
            Description = $"{Garnet}: an embedded Garnet server, written through the Redis online store, checkpoints in it too; {Memory}: the in-memory store, checkpoints in a temporary directory",
            DefaultValueFactory = _ => Garnet,
            HelpName = "STORE",
        };
        var checkpointInterval = new Option<double>("--checkpoint-interval")
        {
            Description = "Seconds between checkpoints of each owned partition",
            DefaultValueFactory = _ => 5,
        };
        var decide = new Option<bool>("--decide")
        {
            Description = "The worker also decides every transaction (the rules model, as amlfs worker does by default) and publishes the decisions",
        };
        var command = new Command("worker", "Consume generated transactions from the mock Kafka cluster with one worker; measure messages per second")
        {
            messages, warmup, onlineStore, checkpointInterval, decide,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var count = parse.GetValue(messages);
            var warmupCount = parse.GetValue(warmup);
            var store = parse.GetValue(onlineStore)!;
            var interval = parse.GetValue(checkpointInterval);
            var errors = new List<string>();
            if (count is < 1 or > WorkerBench.MaxMessages)
                errors.Add($"--messages must be between 1 and {WorkerBench.MaxMessages.ToString("N0", Invariant)} (a mock partition keeps about 5 MB), got {count.ToString(Invariant)}");
            if (warmupCount is < 0 or > WorkerBench.MaxMessages)
                errors.Add($"--warmup must be between 0 and {WorkerBench.MaxMessages.ToString("N0", Invariant)}, got {warmupCount.ToString(Invariant)}");
            if (store is not (Garnet or Memory))
                errors.Add($"--online-store must be {Garnet} or {Memory}, got '{store}'");
            if (!double.IsFinite(interval) || interval <= 0 || interval > 3600)
                errors.Add("--checkpoint-interval must be between 0 and 3600 seconds");
            if (errors.Count > 0)
            {
                foreach (var error in errors)
                    await environment.Error.WriteLineAsync($"amlfs bench worker: {error}");
                return 1;
            }

            return await RunAsync(environment, count, warmupCount, store, TimeSpan.FromSeconds(interval), parse.GetValue(decide), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(
        CliEnvironment environment, int messages, int warmup, string storeName, TimeSpan checkpointInterval, bool decide, CancellationToken cancellationToken)
    {
        var console = environment.Console;
        var definition = DefinitionsLoader.LoadDefault();
        var temporary = Path.Combine(Path.GetTempPath(), "amlfs-bench-worker-" + Guid.NewGuid().ToString("N"));
        EmbeddedRedisServer? garnet = null;
        IOnlineStore store;
        IPartitionCheckpointStore checkpoints;
        string storeText;
        var endpoint = "memory";
        if (storeName == Garnet)
        {
            garnet = new EmbeddedRedisServer();
            var redis = new RedisOnlineStoreOptions { Host = garnet.Host, Port = garnet.Port };
            store = await RedisOnlineStore.ConnectAsync(redis, cancellationToken);
            checkpoints = await RedisCheckpointStore.ConnectAsync(redis, cancellationToken);
            storeText = $"Redis online store on an embedded Garnet server at {redis.Endpoint} (same process), checkpoints in it too";
            endpoint = redis.ToString();
        }
        else
        {
            store = new InMemoryOnlineStore();
            checkpoints = new DirectoryCheckpointStore(temporary);
            storeText = "in-memory online store, checkpoints in a temporary directory";
        }

        WorkerDecider? decider = null;
        try
        {
            // A data directory of its own: the default definitions, no learned model, so the rules decide.
            decider = decide ? new WorkerDecider(new WorkerDeciderSettings(temporary, null, environment.Variables), store, endpoint, TimeProvider.System, NullLoggerFactory.Instance) : null;
            console.MarkupLine(Invariant, "[bold]bench worker[/]: {0:N0} messages after {1:N0} of warm-up, {2} partitions per topic on the mock Kafka cluster, checkpoints every {3:0.###} s, {4} cores",
                messages, warmup, MockKafkaCluster.PartitionsPerTopic, checkpointInterval.TotalSeconds, Environment.ProcessorCount);
            console.MarkupLine(Invariant, "{0}", Markup.Escape(storeText));
            console.MarkupLine(Invariant, "{0}", decider is null ? "decisions off" : $"every transaction decided by {decider.ModelVersion} and published to the decisions topic");
            var (result, warm) = WorkerBench.Run(definition, messages, warmup, store, checkpoints, checkpointInterval, decider,
                message => console.MarkupLine($"[grey]{Markup.Escape(message)}[/]"), cancellationToken);
            Print(environment, result, warm, storeName);
            return 0;
        }
        finally
        {
            decider?.Dispose();
            if (checkpoints is IAsyncDisposable disposableCheckpoints)
                await disposableCheckpoints.DisposeAsync();
            if (store is IAsyncDisposable disposableStore)
                await disposableStore.DisposeAsync();
            garnet?.Dispose();
            if (Directory.Exists(temporary))
                Directory.Delete(temporary, recursive: true);
        }
    }

    private static void Print(CliEnvironment environment, WorkerBenchResult result, WorkerBenchResult? warm, string storeName)
    {
        var totals = result.Totals;
        var table = new Table().AddColumns("measure", "value");
        table.AddRow("messages consumed (source + re-keyed topics)", string.Create(Invariant, $"{result.Messages:N0} ({result.SourceMessages:N0} + {result.RekeyedMessages:N0})"));
        table.AddRow("time, first message to last", string.Create(Invariant, $"{result.Seconds:N2} s ({result.CpuSeconds:N1} s CPU of the whole process, {Environment.ProcessorCount} cores)"));
        table.AddRow("worker throughput, every topic", string.Create(Invariant, $"{result.MessagesPerSecond:N0} messages/s"));
        table.AddRow("per owned partition", string.Create(Invariant,
            $"{result.PerPartitionPerSecond:N0} messages/s on average over {result.PartitionsOwned} partitions; one thread applies them one at a time, so one partition's ceiling is the worker's rate"));
        table.AddRow("source topic, until its last message", string.Create(Invariant,
            $"{result.SourceSeconds:N2} s, {result.SourcePerSecond:N0} messages/s ({result.RekeyedBySourceEnd:N0} re-keyed messages applied meanwhile)"));
        table.AddRow("re-keyed topics, after the last source message", double.IsNaN(result.RekeyedTailPerSecond)
            ? "none left"
            : string.Create(Invariant, $"{result.RekeyedMessages - result.RekeyedBySourceEnd:N0} messages in {result.Seconds - result.SourceSeconds:N2} s, {result.RekeyedTailPerSecond:N0} messages/s"));
        table.AddRow("accepted / duplicates / rejected", string.Create(Invariant,
            $"{totals.Accepted:N0} / {totals.Duplicates:N0} / {totals.Late + totals.FutureTimestamps + totals.Malformed:N0}"));
        table.AddRow("decisions published", string.Create(Invariant, $"{totals.Decided:N0} ({totals.DecidedByLevel.ElementAtOrDefault(2):N0} HIGH)"));
        table.AddRow("entity states written", string.Create(Invariant, $"{totals.StatesWritten:N0} ({storeName})"));
        table.AddRow("checkpoints saved", string.Create(Invariant, $"{totals.Checkpoints:N0}, the last ones on stop"));
        table.AddRow("stop: final checkpoints and leaving the group", string.Create(Invariant, $"{result.StopSeconds:N2} s"));
        table.AddRow("not measured: warm-up worker, cold", warm is null
            ? "none (--warmup 0): the figures above include JIT warm-up"
            : string.Create(Invariant, $"{warm.Messages:N0} messages in {warm.Seconds:N2} s, {warm.MessagesPerSecond:N0} messages/s"));
        table.AddRow("not measured: publish / join the group", string.Create(Invariant, $"{result.PublishSeconds:N2} s / {result.JoinSeconds:N2} s"));
        environment.Console.Write(table);

        environment.Output.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["bench"] = "worker",
            ["online_store"] = storeName,
            ["messages"] = result.SourceMessages,
            ["messages_consumed"] = result.Messages,
            ["rekeyed_messages"] = result.RekeyedMessages,
            ["warmup_messages"] = warm?.SourceMessages ?? 0,
            ["partitions"] = MockKafkaCluster.PartitionsPerTopic,
            ["partitions_owned"] = result.PartitionsOwned,
            ["seconds"] = Math.Round(result.Seconds, 3),
            ["messages_per_sec"] = Math.Round(result.MessagesPerSecond),
            ["per_partition_per_sec"] = Math.Round(result.PerPartitionPerSecond),
            ["source_messages_per_sec"] = Math.Round(result.SourcePerSecond),
            ["states_written"] = totals.StatesWritten,
            ["decisions"] = totals.Decided,
            ["checkpoints"] = totals.Checkpoints,
            ["stop_seconds"] = Math.Round(result.StopSeconds, 3),
            ["cold_messages_per_sec"] = warm is null ? Math.Round(result.MessagesPerSecond) : Math.Round(warm.MessagesPerSecond),
        }));
    }
}
