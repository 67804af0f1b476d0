using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Amlfs.Cli.Bench;
using Amlfs.Registry;
using Amlfs.Synthetic;
using Spectre.Console;

namespace Amlfs.Cli.Commands;

/// <summary><c>amlfs bench</c>: measures the engine, freshness, training sets, workers and streaming decisions; each prints one JSON line last.</summary>
internal static class BenchCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var command = new Command("bench", "Measure performance; each benchmark prints its figures and, as its last line, one JSON object");
        command.Subcommands.Add(CreateEngine(environment));
        command.Subcommands.Add(CreateFreshness(environment));
        command.Subcommands.Add(TrainingSetBenchCommand.Create(environment));
        command.Subcommands.Add(WorkerBenchCommand.Create(environment));
        command.Subcommands.Add(CreateDecisions(environment));
        return command;
    }

    private static Command CreateFreshness(CliEnvironment environment)
    {
        var url = new Option<string?>("--url")
        {
            Description = "A running server to measure; by default an embedded server starts on a free port with a temporary data directory",
            HelpName = "URL",
        };
        var apiKey = ApiKeyOption.Create("admin, with --url");
        var samples = new Option<int>("--samples") { Description = "Transactions measured", DefaultValueFactory = _ => 2000 };
        var warmup = new Option<int>("--warmup") { Description = "Transactions sent first and not measured", DefaultValueFactory = _ => 200 };
        var distributed = new Option<bool>("--distributed")
        {
            Description = "Measure the distributed mode instead: publish to Kafka, visible through an API replica reading Redis (mock Kafka, in-process Redis and two workers on this machine)",
        };
        var command = new Command("freshness", "Time from an acknowledged POST /transactions (or, --distributed, a publish to Kafka) to the event being visible in GET /features")
        {
            url, apiKey, samples, warmup, distributed,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(samples) < 1 || parse.GetValue(warmup) < 0)
            {
                await environment.Error.WriteLineAsync("amlfs bench freshness: --samples must be at least 1 and --warmup at least 0");
                return 1;
            }

            if (parse.GetValue(distributed))
            {
                if (parse.GetValue(url) is not null)
                {
                    await environment.Error.WriteLineAsync("amlfs bench freshness: --distributed runs its own topology; it does not take --url");
                    return 1;
                }

                return await FreshnessCommand.RunDistributedAsync(environment, parse.GetValue(samples), parse.GetValue(warmup), cancellationToken);
            }

            Uri? server = null;
            if (parse.GetValue(url) is { } text && (server = ServerUrlOption.Parse(text, out var urlProblem)) is null)
            {
                await environment.Error.WriteLineAsync($"amlfs bench freshness: {urlProblem}");
                return 1;
            }

            var key = ApiKeyOption.Read(parse.GetValue(apiKey), environment, out var keyProblem);
            if (keyProblem is not null)
            {
                await environment.Error.WriteLineAsync($"amlfs bench freshness: {keyProblem}");
                return 1;
            }

            return await FreshnessCommand.RunAsync(environment, server, key, parse.GetValue(samples), parse.GetValue(warmup), cancellationToken);
        });
        return command;
    }

    private static Command CreateEngine(CliEnvironment environment)
    {
        var customers = new Option<int>("--customers") { Description = "Customers of the generated stream", DefaultValueFactory = _ => 100_000 };
        var merchants = new Option<int>("--merchants") { Description = "Merchants of the generated stream", DefaultValueFactory = _ => 5_000 };
        var days = new Option<int>("--days") { Description = "Days of generated history", DefaultValueFactory = _ => 10 };
        var seed = new Option<long>("--seed") { Description = "Seed of the generated stream", DefaultValueFactory = _ => 42 };
        var shards = new Option<int>("--shards") { Description = "Shard threads", DefaultValueFactory = _ => Environment.ProcessorCount };
        var inline = new Option<bool>("--inline") { Description = "Apply events on the ingest thread instead of shard threads (replay mode)" };
        var definitions = new Option<string?>("--definitions") { Description = "Definitions file to measure instead of the built-in default; with graph aggregations, their searches are timed too" };
        var command = new Command("engine", "Ingest a generated stream with the default features; measure throughput, read latency, allocations and memory")
        {
            customers, merchants, days, seed, shards, inline, definitions,
        };
        command.SetAction(parse =>
        {
            var options = new SyntheticOptions
            {
                Customers = parse.GetValue(customers),
                Merchants = parse.GetValue(merchants),
                Days = parse.GetValue(days),
                Seed = parse.GetValue(seed),
            };
            var problems = options.Validate();
            var shardCount = parse.GetValue(shards);
            if (shardCount is < 1 or > 256)
                problems = [.. problems, $"shards must be between 1 and 256, got {shardCount}"];
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                    environment.Error.WriteLine($"amlfs bench engine: {problem}");
                return 1;
            }

            RegistryDefinition definition;
            try
            {
                definition = parse.GetValue(definitions) is { } file ? DefinitionsLoader.LoadFile(file) : DefinitionsLoader.LoadDefault();
            }
            catch (DefinitionException e)
            {
                foreach (var error in e.Errors)
                    environment.Error.WriteLine(error.ToString());
                return 1;
            }

            return RunEngine(environment, definition, options, shardCount, parse.GetValue(inline));
        });
        return command;
    }

    private static int RunEngine(CliEnvironment environment, RegistryDefinition definition, SyntheticOptions options, int shards, bool inline)
    {
        var console = environment.Console;
        console.MarkupLine(CultureInfo.InvariantCulture,
            "[bold]bench engine[/]: {0:N0} customers, {1:N0} merchants, {2} days, seed {3}, {4} shards ({5}), {6} cores",
            options.Customers, options.Merchants, options.Days, options.Seed, shards, inline ? "inline" : "threads", Environment.ProcessorCount);
        console.MarkupLine("generating the stream in memory (not measured)...");
        var stream = SyntheticGenerator.Stream(options, Environment.ProcessorCount).Select(t => t.Transaction).ToList();
        var result = EngineBench.Run(definition, stream, shards, !inline, message => console.MarkupLine($"[grey]{Markup.Escape(message)}[/]"));

        var table = new Table().AddColumns("measure", "value", "budget");
        table.AddRow("events measured (third pass)", result.Events.ToString("N0", CultureInfo.InvariantCulture), "");
        table.AddRow("ingest throughput, steady state", $"{result.EventsPerSecond:N0} events/s", ">= 500,000 events/s");
        table.AddRow("ingest throughput, first pass (cold)", $"{result.ColdEventsPerSecond:N0} events/s", "");
        table.AddRow("allocated per event, steady state", $"{result.AllocatedBytesPerEvent:N2} B ({result.Gen0Collections} gen0 GCs)", "0 B");
        table.AddRow("read all customer features p50", $"{result.ReadP50Us:N2} us", "");
        table.AddRow("read all customer features p99", $"{result.ReadP99Us:N2} us", "< 20 us");
        table.AddRow("read all customer features max", $"{result.ReadMaxUs:N2} us", "");
        table.AddRow("read during ingest p50 / p99", $"{result.ConcurrentReadP50Us:N2} / {result.ConcurrentReadP99Us:N2} us (ingest threads and the reader on {Environment.ProcessorCount} cores)", "");
        table.AddRow("heap per entity, busiest hour", $"{result.BytesPerEntity:N0} B ({result.EntitiesInBusiestHour:N0} entities)", "< 4 KB");
        table.AddRow("customer state, busiest hour (counted)", $"{result.BytesPerCustomerState:N0} B", "");
        table.AddRow("customer with 12 payments in the hour (counted)", $"{result.BytesPerBusyCustomer:N0} B", "< 4 KB");
        var firstSeen = result.FirstSeen;
        table.AddRow("first_seen of counterparty, IP, device over 30 days (counted)",
            $"+{firstSeen.BytesWith - firstSeen.BytesWithout:N0} B per customer ({firstSeen.BytesWithout:N0} B without, {firstSeen.Payments} payments in 30 days)", "");
        table.AddRow("accepted / duplicates / late", $"{result.Accepted:N0} / {result.Duplicates:N0} / {result.Late:N0}", "");
        foreach (var g in result.GraphSearches)
        {
            table.AddRow($"graph search {g.Aggregation} p50 / p99 / max, per evaluation",
                $"{g.P50Us:N2} / {g.P99Us:N2} / {g.MaxUs:N0} us; bound hit in {g.BoundHits:N0} of {g.Evaluations:N0} ({100.0 * g.BoundHits / g.Evaluations:N2}%), "
                + $"accounts drawn from the {g.Accounts:N0} with transfers in the last day",
                "");
        }

        console.Write(table);

        environment.Output.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["bench"] = "engine",
            ["events_per_sec"] = Math.Round(result.EventsPerSecond),
            ["read_p99_us"] = Math.Round(result.ReadP99Us, 2),
            ["allocated_bytes_per_event"] = Math.Round(result.AllocatedBytesPerEvent, 2),
            ["bytes_per_entity"] = Math.Round(result.BytesPerEntity),
            ["first_seen_30d_bytes_per_customer"] = Math.Round(firstSeen.BytesWith - firstSeen.BytesWithout),
            ["graph_searches"] = result.GraphSearches.ToDictionary(g => g.Aggregation, g => new Dictionary<string, double>
            {
                ["p50_us"] = Math.Round(g.P50Us, 2),
                ["p99_us"] = Math.Round(g.P99Us, 2),
                ["evaluations"] = g.Evaluations,
                ["bound_hits"] = g.BoundHits,
            }),
        }));
        return 0;
    }

    private static Command CreateDecisions(CliEnvironment environment)
    {
        var customers = new Option<int>("--customers") { Description = "Customers of the generated stream", DefaultValueFactory = _ => 20_000 };
        var merchants = new Option<int>("--merchants") { Description = "Merchants of the generated stream", DefaultValueFactory = _ => 2_000 };
        var days = new Option<int>("--days") { Description = "Days of generated history", DefaultValueFactory = _ => 5 };
        var seed = new Option<long>("--seed") { Description = "Seed of the generated stream", DefaultValueFactory = _ => 42 };
        var models = new Option<string?>("--models")
        {
            Description = "A data directory whose models/ folder (its active model) decides; by default the rules model decides",
        };
        var warmupDays = new Option<int>("--warmup-days")
        {
            Description = "Days at the start of the history posted (and decided) before the clock starts, so that it measures the steady state",
            DefaultValueFactory = _ => 1,
        };
        var command = new Command("decisions", "Ingest a generated stream into an embedded server with streaming decisions off, then on: transactions per second ingested, and scored and logged")
        {
            customers, merchants, days, seed, models, warmupDays,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new SyntheticOptions
            {
                Customers = parse.GetValue(customers),
                Merchants = parse.GetValue(merchants),
                Days = parse.GetValue(days),
                Seed = parse.GetValue(seed),
                Start = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-parse.GetValue(days) - 1),
            };
            var problems = options.Validate();
            if (parse.GetValue(warmupDays) < 0 || parse.GetValue(warmupDays) >= options.Days)
                problems = [.. problems, $"--warmup-days must be at least 0 and less than --days ({options.Days}), got {parse.GetValue(warmupDays)}"];
            var modelsFolder = parse.GetValue(models) is { } root ? Path.Combine(root, "models") : null;
            if (modelsFolder is not null && !Directory.Exists(modelsFolder))
                problems = [.. problems, $"--models: {modelsFolder} does not exist"];
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                    await environment.Error.WriteLineAsync($"amlfs bench decisions: {problem}");
                return 1;
            }

            var console = environment.Console;
            console.MarkupLine(CultureInfo.InvariantCulture,
                "[bold]bench decisions[/]: {0:N0} customers, {1} days, {2} cores; decisions off, then on; the clock starts after day {3}",
                options.Customers, options.Days, Environment.ProcessorCount, parse.GetValue(warmupDays));
            var result = await DecisionBench.RunAsync(options, parse.GetValue(warmupDays), modelsFolder, environment.Clock, cancellationToken);
            var table = new Table().AddColumns("measure", "value", "budget");
            table.AddRow("transactions before the clock (warm-up)", result.WarmupTransactions.ToString("N0", CultureInfo.InvariantCulture), "");
            table.AddRow("transactions accepted while measured", result.Accepted.ToString("N0", CultureInfo.InvariantCulture), "");
            table.AddRow("ingest, decisions off", $"{result.IngestPerSecondOff:N0} transactions/s ({result.SecondsOff:N2} s)", "");
            table.AddRow("ingest, every transaction scored and logged", $"{result.ScoredPerSecondOn:N0} transactions/s ({result.SecondsOn:N2} s)", ">= 100,000 transactions/s");
            table.AddRow("decisions (HIGH, explained)", $"{result.Decided:N0} ({result.High:N0})", "");
            table.AddRow("collections gen0 / gen1 / gen2, decisions off", result.CollectionsOff.ToString(), "");
            table.AddRow("collections gen0 / gen1 / gen2, decisions on", result.CollectionsOn.ToString(), "");
            table.AddRow("model", Markup.Escape(result.ModelVersion), "");
            console.Write(table);
            await environment.Output.WriteLineAsync(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["bench"] = "decisions",
                ["transactions"] = result.Accepted,
                ["warmup_transactions"] = result.WarmupTransactions,
                ["ingest_per_sec_decisions_off"] = Math.Round(result.IngestPerSecondOff),
                ["scored_per_sec_decisions_on"] = Math.Round(result.ScoredPerSecondOn),
                ["decisions"] = result.Decided,
                ["high"] = result.High,
                ["model_version"] = result.ModelVersion,
                ["gc_pause_ms_decisions_off"] = Math.Round(result.CollectionsOff.Paused.TotalMilliseconds),
                ["gc_pause_ms_decisions_on"] = Math.Round(result.CollectionsOn.Paused.TotalMilliseconds),
            }));
            return 0;
        });
        return command;
    }
}
