using System.CommandLine;
using System.Globalization;
using Amlfs.Checkpoints;
using Amlfs.Cli.Distributed;
using Amlfs.Kafka;
using Amlfs.Kafka.Workers;
using Amlfs.OnlineStore;
using Amlfs.Redis;
using Amlfs.Registry;
using Amlfs.Scoring;
using Amlfs.Security;
using Amlfs.Server.Hosting;
using Amlfs.Server.Observability;
using Amlfs.Server.Security;
using Amlfs.Storage;
using Microsoft.Extensions.Logging;

namespace Amlfs.Cli.Commands;

/// <summary>
/// <c>amlfs worker --kafka BOOTSTRAP</c>: one member of the consumer group that computes features in the distributed
/// mode. It owns some partitions of the transaction topics, writes changed entity states to the Redis online store
/// and checkpoints each partition's state with its offset (in the same Redis, or in a directory). Unless
/// <c>--no-decisions</c>, it decides every transaction its source partitions accept with the data directory's active
/// model and publishes the decision to the decisions topic (<see cref="WorkerDecider"/>). With
/// <c>--metrics-port</c> it serves its counters and the process's figures at <c>/metrics</c> for Prometheus; with
/// <c>--metrics-auth</c> too, a scrape needs an API key of the key file, as the server's <c>/metrics</c> does.
/// </summary>
internal static class WorkerCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var kafka = new Option<string?>("--kafka")
        {
            Description = $"Kafka bootstrap servers [env: {ProduceCommand.KafkaBootstrapVariable}]",
            HelpName = "BOOTSTRAP",
        };
        var topic = new Option<string?>("--topic")
        {
            Description = $"The source topic, keyed by customer_id [env: {ProduceCommand.KafkaTopicVariable}; default: {KafkaPublisherOptions.DefaultTopic}]",
            HelpName = "TOPIC",
        };
        var group = new Option<string>("--group")
        {
            Description = "The consumer group the workers share",
            DefaultValueFactory = _ => KafkaWorkerOptions.DefaultGroup,
            HelpName = "GROUP",
        };
        var onlineStore = OnlineStoreOption.Create("The Redis online store the worker writes entity states to (and keeps checkpoints in, unless --checkpoint-dir)");
        var checkpointDirectory = new Option<string?>("--checkpoint-dir")
        {
            Description = "Keep partition checkpoints in this directory (shared by every worker) instead of the online store's Redis",
            HelpName = "DIR",
        };
        var checkpointInterval = new Option<double>("--checkpoint-interval")
        {
            Description = "Seconds between checkpoints of each owned partition; a worker taking a partition over replays at most this much",
            DefaultValueFactory = _ => 5,
        };
        var sessionTimeout = new Option<double>("--session-timeout")
        {
            Description = "Seconds a silent worker keeps its partitions before the group gives them to the others",
            DefaultValueFactory = _ => 10,
        };
        var fetchWait = new Option<double>("--fetch-wait")
        {
            Description = "Milliseconds a broker may hold a fetch while it has no new message (fetch.wait.max.ms): the idle latency floor; lower costs more fetch requests",
            DefaultValueFactory = _ => 10,
        };
        var metricsPort = new Option<int?>("--metrics-port")
        {
            Description = "Serve Prometheus metrics at http://HOST:PORT/metrics (0: any free port, printed at start); off when not given",
            HelpName = "PORT",
        };
        var metricsHost = new Option<string>("--metrics-host")
        {
            Description = "Address the metrics endpoint listens on (0.0.0.0 for every interface)",
            DefaultValueFactory = _ => "127.0.0.1",
            HelpName = "ADDRESS",
        };
        var metricsAuth = new Option<bool>("--metrics-auth")
        {
            Description = "/metrics needs an API key (of any role, as the server's) from the data directory's key file or --keys-file",
        };
        var keysFile = KeysCommand.KeysFileOption();
        var keysInStore = new Option<bool>("--keys-in-store")
        {
            Description = "With --metrics-auth: check the API keys kept in the online store (amlfs keys create --online-store) instead of a key file",
        };
        var decisionsTopic = new Option<string?>("--decisions-topic")
        {
            Description = "The topic the decision about each accepted transaction goes to [default: TOPIC.decisions]",
            HelpName = "TOPIC",
        };
        var noDecisions = new Option<bool>("--no-decisions")
        {
            Description = "Do not decide transactions: compute and write features only",
        };
        var dataDirectory = DataDirectoryOption.Create();
        var logLevel = new Option<string>("--log-level")
        {
            Description = "trace, debug, information, warning, error or critical",
            DefaultValueFactory = _ => "information",
            HelpName = "LEVEL",
        };
        var command = new Command("worker", "Run one Kafka worker: consume transactions, compute features per partition, write them to the Redis online store")
        {
            kafka, topic, group, onlineStore, checkpointDirectory, checkpointInterval, sessionTimeout, fetchWait, decisionsTopic, noDecisions, metricsPort, metricsHost,
            metricsAuth, keysFile, keysInStore, dataDirectory, logLevel,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var variables = environment.Variables;
            var errors = new List<string>();
            if (ServeCommand.ParseLogLevel(parse.GetValue(logLevel)!) is not { } level)
            {
                errors.Add($"log level '{parse.GetValue(logLevel)}' is not one of trace, debug, information, warning, error, critical");
                level = LogLevel.Information;
            }

            var options = new KafkaWorkerOptions
            {
                BootstrapServers = parse.GetValue(kafka) ?? variables.GetValueOrDefault(ProduceCommand.KafkaBootstrapVariable) ?? "",
                Topic = parse.GetValue(topic) ?? variables.GetValueOrDefault(ProduceCommand.KafkaTopicVariable) ?? KafkaPublisherOptions.DefaultTopic,
                GroupId = parse.GetValue(group)!,
                CheckpointInterval = Seconds(parse.GetValue(checkpointInterval)),
                SessionTimeout = Seconds(parse.GetValue(sessionTimeout)),
                FetchWait = Seconds(parse.GetValue(fetchWait) / 1000),
                DecisionTopic = parse.GetValue(decisionsTopic),
            };
            if (string.IsNullOrWhiteSpace(options.BootstrapServers))
                errors.Add($"no Kafka to consume: give --kafka BOOTSTRAP or set {ProduceCommand.KafkaBootstrapVariable}");
            else
                errors.AddRange(options.Validate());
            RedisOnlineStoreOptions? redis = null;
            if (parse.GetResult(onlineStore) is null && !variables.ContainsKey("REDIS_HOST"))
                errors.Add("no online store to write: give --online-store redis://HOST:PORT or set REDIS_HOST");
            else if ((redis = OnlineStoreOption.Parse(parse.GetValue(onlineStore), variables, out var storeError)) is null)
                errors.Add(storeError!);
            var metrics = parse.GetValue(metricsPort) is { } port ? (Host: parse.GetValue(metricsHost)!, Port: port) : ((string Host, int Port)?)null;
            if (metrics is { Port: < 0 or > 65_535 })
                errors.Add($"metrics port {metrics.Value.Port} is not a port number");
            if (metrics is null && parse.GetValue(metricsAuth))
                errors.Add("--metrics-auth takes effect with --metrics-port");
            if ((parse.GetValue(keysFile) is not null || parse.GetValue(keysInStore)) && !parse.GetValue(metricsAuth))
                errors.Add("--keys-file and --keys-in-store take effect with --metrics-auth (the worker checks keys on /metrics only)");
            if (parse.GetValue(keysFile) is not null && parse.GetValue(keysInStore))
                errors.Add("give --keys-file or --keys-in-store, not both");
            if (errors.Count > 0)
            {
                foreach (var error in errors)
                    await environment.Error.WriteLineAsync($"amlfs worker: {error}");
                return 1;
            }

            var data = environment.Resolve(parse.GetValue(dataDirectory)!);
            // With --keys-in-store the key store is the online store, connected with the worker's other clients.
            var auth = new AuthSettings
            {
                KeysFile = !parse.GetValue(metricsAuth) || parse.GetValue(keysInStore) ? null
                    : parse.GetValue(keysFile) is { } keysPath ? environment.Resolve(keysPath) : ApiKeyStore.FileOf(data),
                MetricsNeedKey = parse.GetValue(metricsAuth),
            };
            var definition = new RegistryStore(data).Active.Definition;
            try
            {
                options = options with { Pseudonyms = PseudonymKey.Resolve(data, variables.GetValueOrDefault(PseudonymKey.EnvironmentVariable)) };
            }
            catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException or UnauthorizedAccessException)
            {
                await environment.Error.WriteLineAsync($"amlfs worker: {e.Message}");
                return 1;
            }

            var decide = parse.GetValue(noDecisions) ? null : new WorkerDeciderSettings(data,
                variables.GetValueOrDefault("AMLFS_MODEL_FILE") is { } file ? environment.Resolve(file) : null, variables);
            return await RunAsync(environment, options, definition, redis!, parse.GetValue(checkpointDirectory) is { } dir ? environment.Resolve(dir) : null, decide,
                metrics, auth, parse.GetValue(keysInStore), level, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliEnvironment environment, KafkaWorkerOptions options, RegistryDefinition definition,
        RedisOnlineStoreOptions redis, string? checkpointDirectory, WorkerDeciderSettings? decide, (string Host, int Port)? metrics, AuthSettings auth, bool keysInStore,
        LogLevel level, CancellationToken cancellationToken)
    {
        using var loggers = ConsoleLoggers(level);
        var logger = loggers.CreateLogger("Amlfs.Worker");
        RedisOnlineStore store;
        IPartitionCheckpointStore checkpoints;
        try
        {
            // Fail fast while Redis is down: the worker consumes on and writes the changed states once it is back.
            store = await RedisOnlineStore.ConnectAsync(redis with { ReconnectInBackground = true }, cancellationToken);
            checkpoints = checkpointDirectory is null
                ? await RedisCheckpointStore.ConnectAsync(redis, cancellationToken)
                : new DirectoryCheckpointStore(checkpointDirectory);
        }
        catch (OnlineStoreUnavailableException e)
        {
            await environment.Error.WriteLineAsync($"amlfs worker: the online store {redis} is unavailable: {e.Message}");
            return 1;
        }

        MetricsListener? listener = null;
        RedisApiKeyStore? sharedKeys = null;
        WorkerDecider? decider = null;
        try
        {
            if (decide is not null && (decider = await StartDecider(environment, decide, store, redis, loggers)) is null)
                return 1;
            using var worker = new KafkaWorker(options, definition, store, checkpoints, logger, environment.Clock, decider);
            if (metrics is { } endpoint)
            {
                try
                {
                    if (keysInStore)
                        auth = auth with { KeyStore = sharedKeys = await RedisApiKeyStore.ConnectAsync(redis with { ReconnectInBackground = true }, environment.Clock, cancellationToken: cancellationToken) };
                    listener = await MetricsListener.StartAsync(endpoint.Host, endpoint.Port, WorkerMetrics.Create(worker, environment.Clock), auth, environment.Clock,
                        cancellationToken);
                }
                catch (IOException e)
                {
                    await environment.Error.WriteLineAsync($"amlfs worker: cannot serve metrics on {endpoint.Host}:{endpoint.Port}: {e.Message}");
                    return 1;
                }
            }

            await environment.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"worker: Kafka {options.BootstrapServers}, group {options.GroupId}; topics {worker.Topics}; dead letters to {worker.Topics.DeadLetter}; online store {redis}; checkpoints in {checkpoints.Location} every {options.CheckpointInterval.TotalSeconds:0.###} s"));
            await environment.Output.WriteLineAsync(decider is null
                ? "worker: decisions off"
                : $"worker: decisions by {decider.ModelVersion} (following {decide!.DataDirectory}'s model registry) to {worker.Topics.Decisions}");
            if (listener is not null)
            {
                await environment.Output.WriteLineAsync(listener.Keys is { } keys
                    ? string.Create(CultureInfo.InvariantCulture, $"worker: metrics at {listener.Address} (needs a key of {keys.Location}, where {keys.ActiveCount} work now)")
                    : $"worker: metrics at {listener.Address}");
                if (listener.Keys is { ActiveCount: 0 } none)
                    await environment.Error.WriteLineAsync($"amlfs worker: warning: {none.Location} holds no key that works{(none.Problem is { } problem ? $" ({problem})" : "")}: every scrape answers 401 until `amlfs keys create` makes one");
            }
            await worker.Start(cancellationToken); // Ctrl-C stops it cleanly
            var totals = worker.Totals;
            await environment.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"worker: stopped; {totals.Consumed} messages, {totals.Accepted} accepted, {totals.Duplicates} duplicates, {totals.Late} late, {totals.FutureTimestamps} future, {totals.Malformed} malformed, {totals.Rekeyed} re-keyed, {totals.Decided} decided, {totals.StatesWritten} states written, {totals.StaleStates} refused as stale, {totals.Checkpoints} checkpoints"));
            return 0;
        }
        catch (WorkerFailedException e)
        {
            await environment.Error.WriteLineAsync($"amlfs worker: {e.Message}");
            return 1;
        }
        finally
        {
            if (listener is not null)
                await listener.DisposeAsync();
            if (sharedKeys is not null)
                await sharedKeys.DisposeAsync();
            decider?.Dispose();
            if (checkpoints is IAsyncDisposable disposable)
                await disposable.DisposeAsync();
            await store.DisposeAsync();
        }
    }

    /// <summary>The scoring path of the data directory over the store; null, having said why, when it cannot be read.</summary>
    private static async Task<WorkerDecider?> StartDecider(
        CliEnvironment environment, WorkerDeciderSettings settings, RedisOnlineStore store, RedisOnlineStoreOptions redis, ILoggerFactory loggers)
    {
        try
        {
            return new WorkerDecider(settings, store, redis.ToString(), environment.Clock, loggers);
        }
        catch (Exception e) when (e is ServerSettingsException or RulesModelConfigException or DefinitionException or InvalidDataException or IOException)
        {
            await environment.Error.WriteLineAsync($"amlfs worker: transactions cannot be decided: {e.Message}");
            return null;
        }
    }

    /// <summary>Workers log one line per message to the console, UTC timestamps to the millisecond.</summary>
    internal static ILoggerFactory ConsoleLoggers(LogLevel level) => LoggerFactory.Create(b => b
        .SetMinimumLevel(level)
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
            o.UseUtcTimestamp = true;
        }));

    private static TimeSpan Seconds(double seconds) =>
        double.IsFinite(seconds) && seconds > 0 && seconds < 86_400 ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero;
}
