using System.CommandLine;
using System.Globalization;
using Amlfs.Alerts.Rules;
using Amlfs.Cli.Distributed;
using Amlfs.Kafka;
using Amlfs.Kafka.Decisions;
using Amlfs.Kafka.Workers;
using Amlfs.OnlineStore;
using Amlfs.Redis;
using Amlfs.Registry;
using Amlfs.Scoring;
using Amlfs.Security;
using Amlfs.Server;
using Amlfs.Server.Decisions;
using Amlfs.Server.Hosting;
using Amlfs.Server.Security;
using Amlfs.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Amlfs.Cli.Commands;

/// <summary>
/// <c>amlfs up</c> and <c>amlfs serve</c>: run the whole system in this process: engine, durable store, HTTP API and,
/// for <c>up</c>, a synthetic producer; or, for <c>serve --online-store</c>, a stateless API replica that reads entity
/// states from Redis and ingests nothing. Flags win over the seed's environment variables (API_HOST, API_PORT,
/// LOG_LEVEL), which win over the defaults.
/// </summary>
internal static class ServeCommand
{
    private const double DefaultRate = 5.0;

    public static Command Create(CliEnvironment environment, bool up)
    {
        var host = new Option<string>("--host")
        {
            Description = "Address to listen on [env API_HOST; default 127.0.0.1]",
            HelpName = "ADDRESS",
        };
        var port = new Option<int?>("--port")
        {
            Description = "Port to listen on [env API_PORT; default 8000]",
        };
        var dataDirectory = DataDirectoryOption.Create();
        var logLevel = new Option<string>("--log-level")
        {
            Description = "trace, debug, information, warning, error or critical [env LOG_LEVEL; default information]",
            HelpName = "LEVEL",
        };
        var flush = new Option<string>("--flush")
        {
            Description = "When the write-ahead log is fsynced: always (before every acknowledgement), interval (every 100 ms), none (left to the OS)",
            DefaultValueFactory = _ => "always",
            HelpName = "POLICY",
        };
        flush.AcceptOnlyFromAmong("always", "interval", "none");
        var riskModel = new Option<string?>("--risk-model")
        {
            Description = "YAML file with the rules model's weights and thresholds [env AMLFS_MODEL_FILE; default built in]; AMLFS_RISK_* variables override entries",
            HelpName = "FILE",
        };
        var alerts = new Option<string?>("--alerts")
        {
            Description = "YAML file of alert rules and their webhook and e-mail channels, checked at start (docs/alerts.md) [env AMLFS_ALERTS_FILE; default: the built-in rules, delivered nowhere]",
            HelpName = "FILE",
        };
        var logFeatures = new Option<bool>("--log-features")
        {
            Description = "Log every served feature vector (/predict, /features) with its query time to DATA/feature_log/, for amlfs consistency",
        };
        var onlineStore = OnlineStoreOption.Create(
            "Run as a stateless API replica (no engine, no write-ahead log; only the registry is read from --data-dir) that serves features from the entity states Kafka workers write to this online store");
        var kafka = new Option<string?>("--kafka")
        {
            Description = $"With --online-store: show the decisions the workers publish to this Kafka on the dashboard [env: {ProduceCommand.KafkaBootstrapVariable}]",
            HelpName = "BOOTSTRAP",
        };
        var decisionsTopic = new Option<string?>("--decisions-topic")
        {
            Description = $"With --kafka: the workers' decisions topic [default: TOPIC.decisions, TOPIC from {ProduceCommand.KafkaTopicVariable} or {KafkaPublisherOptions.DefaultTopic}]",
            HelpName = "TOPIC",
        };
        var rate = new Option<double>("--rate")
        {
            Description = "Synthetic transactions per second",
            DefaultValueFactory = _ => DefaultRate,
        };
        var noProducer = new Option<bool>("--no-producer")
        {
            Description = "Run without the synthetic producer",
        };
        var distributed = new Option<bool>("--distributed")
        {
            Description = "Try the distributed mode on this machine: a mock Kafka cluster, an in-process Redis-protocol server, Kafka workers and an API replica (development stand-ins)",
        };
        var workers = new Option<int>("--workers")
        {
            Description = "Kafka workers with --distributed",
            DefaultValueFactory = _ => 2,
        };

        var auth = new Option<string>("--auth")
        {
            Description = "on: every route but /health (and /metrics, the dashboard's page and /docs) needs an API key of its role (amlfs keys create); "
                + "off: the API is open to anyone who reaches the port, for local experiments only",
            DefaultValueFactory = _ => "on",
            HelpName = "on|off",
        };
        auth.AcceptOnlyFromAmong("on", "off");
        var keysFile = KeysCommand.KeysFileOption();
        var keysInStore = new Option<bool>("--keys-in-store")
        {
            Description = "With --online-store: check the API keys kept in that store (amlfs keys create --online-store), which every replica shares, instead of a key file",
        };
        var metricsAuth = new Option<bool>("--metrics-auth") { Description = "With --auth on, /metrics needs a key too (of any role)" };
        var rateLimits = new Option<string[]>("--rate-limit")
        {
            Description = "Requests per second a key of a role may make, as ROLE=N (repeatable); defaults: ingest=2000, score=50000, analyst=200, admin unlimited",
            HelpName = "ROLE=N",
            AllowMultipleArgumentsPerToken = false,
        };
        var retain = RetainOption.Create();

        var command = up
            ? new Command("up", "Run the whole system on this machine: engine, durable store, HTTP API, docs and a synthetic producer")
            : new Command("serve", "Run the engine, the durable store and the HTTP API, without a producer");
        command.Options.Add(host);
        command.Options.Add(port);
        command.Options.Add(dataDirectory);
        command.Options.Add(logLevel);
        command.Options.Add(flush);
        command.Options.Add(riskModel);
        command.Options.Add(alerts);
        command.Options.Add(logFeatures);
        command.Options.Add(auth);
        command.Options.Add(keysFile);
        command.Options.Add(metricsAuth);
        command.Options.Add(rateLimits);
        command.Options.Add(retain);
        if (up)
        {
            command.Options.Add(rate);
            command.Options.Add(noProducer);
            command.Options.Add(distributed);
            command.Options.Add(workers);
        }
        else
        {
            command.Options.Add(onlineStore);
            command.Options.Add(keysInStore);
            command.Options.Add(kafka);
            command.Options.Add(decisionsTopic);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var variables = environment.Variables;
            var levelText = parse.GetValue(logLevel) ?? variables.GetValueOrDefault("LOG_LEVEL") ?? "information";
            if (ParseLogLevel(levelText) is not { } level)
            {
                await environment.Error.WriteLineAsync($"error: log level '{levelText}' is not one of trace, debug, information, warning, error, critical");
                return 1;
            }

            var portText = variables.GetValueOrDefault("API_PORT");
            int? envPort = null;
            if (parse.GetValue(port) is null && portText is not null)
            {
                if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var p))
                {
                    await environment.Error.WriteLineAsync($"error: API_PORT '{portText}' is not a port number");
                    return 1;
                }

                envPort = p;
            }

            RedisOnlineStoreOptions? storeOptions = null;
            if (!up && parse.GetResult(onlineStore) is not null)
            {
                storeOptions = OnlineStoreOption.Parse(parse.GetValue(onlineStore), variables, out var error);
                if (storeOptions is null)
                {
                    await environment.Error.WriteLineAsync($"error: {error}");
                    return 1;
                }

                // A replica must start, and keep running, while the store is down: it answers 503 until the store is up.
                storeOptions = storeOptions with { ReconnectInBackground = true };
            }

            IDecisionSource? decisions = null;
            if (storeOptions is not null && (parse.GetValue(kafka) ?? variables.GetValueOrDefault(ProduceCommand.KafkaBootstrapVariable)) is { Length: > 0 } bootstrap)
            {
                var source = variables.GetValueOrDefault(ProduceCommand.KafkaTopicVariable) ?? KafkaPublisherOptions.DefaultTopic;
                decisions = new KafkaDecisionSource(new DecisionTopicReaderOptions
                {
                    BootstrapServers = bootstrap,
                    Topic = parse.GetValue(decisionsTopic) ?? WorkerTopics.DecisionsOf(source),
                });
            }
            else if (parse.GetValue(kafka) is not null || parse.GetValue(decisionsTopic) is not null)
            {
                await environment.Error.WriteLineAsync("error: --kafka and --decisions-topic are for a replica: give --online-store too");
                return 1;
            }

            AlertRuleSet? alertRules = null;
            if ((parse.GetValue(alerts) ?? variables.GetValueOrDefault("AMLFS_ALERTS_FILE")) is { } alertsFile)
            {
                try
                {
                    alertRules = AlertRuleSet.Load(environment.Resolve(alertsFile));
                }
                catch (AlertRulesException e)
                {
                    foreach (var error in e.Errors)
                        await environment.Error.WriteLineAsync($"error: {error}");
                    return 1;
                }
                catch (IOException e)
                {
                    await environment.Error.WriteLineAsync($"error: alert rules: {e.Message}");
                    return 1;
                }
            }

            var limits = new Dictionary<ApiRole, int>(AuthSettings.DefaultRateLimits);
            foreach (var limit in parse.GetValue(rateLimits) ?? [])
            {
                var parts = limit.Split('=', 2);
                if (parts.Length != 2 || ApiRoles.Parse(parts[0]) is not { } limited
                    || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var perSecond) || perSecond < 1)
                {
                    await environment.Error.WriteLineAsync($"error: --rate-limit '{limit}' is not ROLE=N with a role among {ApiRoles.List} and N at least 1");
                    return 1;
                }

                limits[limited] = perSecond;
            }

            if (RetainOption.Parse(parse.GetValue(retain), out var retainError) is not { } retention)
            {
                await environment.Error.WriteLineAsync($"error: {retainError}");
                return 1;
            }

            var dataDir = environment.Resolve(parse.GetValue(dataDirectory)!);
            var authOn = parse.GetValue(auth) == "on";
            var sharedKeys = !up && parse.GetValue(keysInStore);
            if (!authOn && (parse.GetValue(keysFile) is not null || parse.GetValue(metricsAuth) || sharedKeys))
            {
                await environment.Error.WriteLineAsync("error: --keys-file, --keys-in-store and --metrics-auth take effect with --auth on");
                return 1;
            }

            if (sharedKeys && (storeOptions is null || parse.GetValue(keysFile) is not null))
            {
                await environment.Error.WriteLineAsync("error: --keys-in-store reads the keys of the --online-store; give it instead of --keys-file, with --online-store");
                return 1;
            }

            var settings = new ServerSettings
            {
                Auth = new AuthSettings
                {
                    KeysFile = !authOn || sharedKeys ? null : parse.GetValue(keysFile) is { } keysPath ? environment.Resolve(keysPath) : ApiKeyStore.FileOf(dataDir),
                    MetricsNeedKey = parse.GetValue(metricsAuth),
                    RateLimits = limits,
                },
                Host = parse.GetValue(host) ?? variables.GetValueOrDefault("API_HOST") ?? "127.0.0.1",
                Port = parse.GetValue(port) ?? envPort ?? 8000,
                DataDirectory = dataDir,
                LogLevel = level,
                FlushPolicy = Enum.Parse<WalFlushPolicy>(parse.GetValue(flush)!, ignoreCase: true),
                RiskModelFile = (parse.GetValue(riskModel) ?? variables.GetValueOrDefault("AMLFS_MODEL_FILE")) is { } file ? environment.Resolve(file) : null,
                ProducerRate = up && !parse.GetValue(noProducer) ? parse.GetValue(rate) : null,
                LogFeatures = parse.GetValue(logFeatures),
                AlertRules = alertRules,
                DecisionSource = decisions,
                Environment = variables,
                Retention = retention,
                PseudonymKey = variables.GetValueOrDefault(PseudonymKey.EnvironmentVariable),
            };
            if (up && parse.GetValue(distributed))
                return await DistributedUp.RunAsync(environment, settings, parse.GetValue(workers), cancellationToken);
            if (storeOptions is null)
                return await RunAsync(environment, settings, cancellationToken, firstKey: up);
            return await RunReplicaAsync(environment, settings, storeOptions, cancellationToken, keysInStore: sharedKeys);
        });
        return command;
    }

    /// <summary>
    /// Called first thing in a process about to serve (<c>amlfs serve</c> or <c>amlfs up</c>), before any socket
    /// exists: the socket engine reads these once. Each request then runs on the epoll thread that saw its bytes
    /// (Kestrel's inline scheduling, <see cref="ServerSettings.InlineScheduling"/>, does the rest), with no hop to a
    /// thread-pool worker, and one epoll thread per two cores wakes once for several connections' requests. Wake-ups
    /// are most of what a request costs on a small machine: on a 2-core VM, where waking a thread on the other core
    /// costs tens of microseconds, <c>POST /predict</c> at 5,000 requests/s took 235-260 us of server CPU per request
    /// through the thread pool, 195-215 us inline, 175 us inline on one epoll thread. Variables already set are left
    /// alone.
    /// </summary>
    public static void PrepareProcess(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] is not ("serve" or "up"))
            return;
        SetDefault("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        SetDefault("DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT", Math.Max(1, Environment.ProcessorCount / 2).ToString(CultureInfo.InvariantCulture));

        static void SetDefault(string name, string value)
        {
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
                Environment.SetEnvironmentVariable(name, value);
        }
    }

    /// <summary>
    /// Connects the online store (in the background when it is down), serves until stopped, then closes it. With
    /// <paramref name="keysInStore"/> the API keys checked are the ones kept in that store (<see cref="RedisApiKeyStore"/>).
    /// </summary>
    internal static async Task<int> RunReplicaAsync(
        CliEnvironment environment, ServerSettings settings, RedisOnlineStoreOptions options, CancellationToken cancellationToken, bool firstKey = false,
        bool keysInStore = false)
    {
        RedisOnlineStore store;
        try
        {
            store = await RedisOnlineStore.ConnectAsync(options, cancellationToken);
        }
        catch (OnlineStoreUnavailableException e)
        {
            await environment.Error.WriteLineAsync($"error: {e.Message}");
            return 1;
        }

        await using (store)
        {
            var unavailable = false;
            try
            {
                await store.PingAsync(cancellationToken);
            }
            catch (OnlineStoreUnavailableException)
            {
                unavailable = true;
            }

            var replica = settings with { OnlineStore = store, OnlineStoreEndpoint = options.ToString() };
            if (!keysInStore)
                return await RunAsync(environment, replica, cancellationToken, unavailable, firstKey);
            await using var keys = await RedisApiKeyStore.ConnectAsync(options, environment.Clock, cancellationToken: cancellationToken);
            return await RunAsync(environment, replica with { Auth = replica.Auth with { KeyStore = keys } }, cancellationToken, unavailable, firstKey);
        }
    }

    /// <summary>
    /// Runs a server until stopped. With <paramref name="firstKey"/> (<c>amlfs up</c>) and keys checked, a key file
    /// without any key gets an admin key, whose sign-in link the banner prints this once: the two-command start stays
    /// two commands.
    /// </summary>
    private static async Task<int> RunAsync(
        CliEnvironment environment, ServerSettings settings, CancellationToken cancellationToken, bool storeUnavailable = false, bool firstKey = false)
    {
        CreatedApiKey? created = null;
        if (firstKey && settings.Auth.Enabled)
        {
            try
            {
                var store = settings.Auth.Store();
                if (store.List().Count == 0)
                {
                    created = store.Create("admin", ApiRole.Admin);
                    new Amlfs.Audit.AuditLog(settings.DataDirectory, environment.Clock)
                        .Record("system", Amlfs.Audit.AuditActions.KeyCreated, created.Record.Name, KeysCommand.AuditDetails(created.Record, store.Location));
                }
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                await environment.Error.WriteLineAsync($"error: the key file: {e.Message}");
                return 1;
            }
        }

        WebApplication app;
        try
        {
            app = AmlfsServer.Build(settings, environment.Clock);
        }
        catch (Exception e) when (e is ServerSettingsException or RulesModelConfigException or DefinitionException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            await environment.Error.WriteLineAsync("error: the server cannot start:");
            await environment.Error.WriteLineAsync(e.Message);
            return 1;
        }

        await using (app)
        {
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (IOException e)
            {
                await environment.Error.WriteLineAsync($"error: cannot listen on {settings.Host}:{settings.Port}: {e.Message}");
                return 1;
            }

            var address = AmlfsServer.Address(app).ToString().TrimEnd('/');
            var output = environment.Output;
            if (settings.OnlineStore is null)
            {
                await output.WriteLineAsync($"amlfs is running: embedded store in {settings.DataDirectory}");
            }
            else
            {
                await output.WriteLineAsync($"amlfs is running: API replica of the online store {settings.OnlineStoreEndpoint} (definitions from {settings.DataDirectory})");
                if (storeUnavailable)
                    await output.WriteLineAsync("  Store     not answering yet: feature reads answer 503 until it does (details in /health)");
            }

            await output.WriteLineAsync($"  Dashboard {address}/");
            await output.WriteLineAsync($"  API       {address}");
            await output.WriteLineAsync($"  Docs      {address}/docs");
            await output.WriteLineAsync($"  Health    {address}/health");
            await output.WriteLineAsync($"  Metrics   {address}/metrics");
            await output.WriteLineAsync(settings.OnlineStore is not null
                ? "  Ingest    off: transactions go to Kafka (amlfs produce --kafka)"
                : settings.ProducerRate is { } r
                    ? string.Create(CultureInfo.InvariantCulture, $"  Producer  {r} synthetic transactions per second")
                    : "  Producer  off");
            if (settings.OnlineStore is not null)
            {
                await output.WriteLineAsync(settings.DecisionSource is { } decisions
                    ? $"  Decisions the workers', from {decisions.Name}"
                    : "  Decisions none shown: give --kafka to show the workers' decisions on the dashboard");
            }

            if (created is not null)
            {
                await output.WriteLineAsync($"  Key       {created.Key}");
                await output.WriteLineAsync($"            admin, made on this first start and shown this once: export {ApiKeyOption.EnvironmentVariable}=<it> for curl and amlfs produce");
                await output.WriteLineAsync($"  Sign in   {address}/auth/sign-in?key={created.Key}");
            }
            else if (settings.Auth.Enabled)
            {
                var ring = app.Services.GetRequiredService<ApiKeyRing>();
                var count = ring.ActiveCount;
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"  Keys      {count} from {ring.Location}{(ring.Problem is { } problem ? $" ({problem}; read again every {ApiKeyRing.PollInterval.TotalMilliseconds} ms)" : count == 0 ? ": none yet, so every route but /health answers 401 (amlfs keys create --role admin --name NAME)" : "")}"));
            }
            else
            {
                await output.WriteLineAsync("  WARNING   --auth off: the API is open to anyone who reaches the port; --auth on checks API keys (amlfs keys create)");
            }

            await output.WriteLineAsync("Press Ctrl+C to stop.");
            await output.FlushAsync(CancellationToken.None);
            try
            {
                await app.WaitForShutdownAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: the host stops below
            }

            await output.WriteLineAsync(settings.OnlineStore is null ? "Stopping: draining ingest and writing a snapshot..." : "Stopping...");
            await app.StopAsync(CancellationToken.None);
        }

        await environment.Output.WriteLineAsync("Stopped.");
        return 0;
    }

    internal static LogLevel? ParseLogLevel(string text) => text.Trim().ToLowerInvariant() switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "info" or "information" => LogLevel.Information,
        "warn" or "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "critical" or "fatal" => LogLevel.Critical,
        "none" => LogLevel.None,
        _ => null,
    };
}
