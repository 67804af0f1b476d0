using System.CommandLine;
using System.Globalization;
using Amlfs.Cli.Produce;
using Amlfs.Kafka;
using Amlfs.Server.Contracts;
using Amlfs.Synthetic;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Amlfs.Cli.Commands;

/// <summary>
/// <c>amlfs produce</c>: sends live synthetic transactions to a running server at a steady rate, or one burst of a
/// customer followed by the score of its next transaction.
/// </summary>
internal static class ProduceCommand
{
    public const string KafkaBootstrapVariable = "KAFKA_BOOTSTRAP_SERVERS";
    public const string KafkaTopicVariable = "KAFKA_TOPIC";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static Command Create(CliEnvironment environment)
    {
        var defaults = new ProduceOptions { Url = new Uri(ServerUrlOption.DefaultUrl) };
        var url = ServerUrlOption.Create();
        var apiKey = ApiKeyOption.Create("ingest, and score with --burst-customer, or admin");
        var rate = new Option<double>("--rate") { Description = "Transactions per second (fractions allowed)", DefaultValueFactory = _ => defaults.Rate };
        var duration = new Option<double?>("--duration") { Description = "Stop after this many seconds [default: until Ctrl-C]", HelpName = "SECONDS" };
        var count = new Option<long?>("--count") { Description = "Stop after this many transactions", HelpName = "N" };
        var batch = new Option<int?>("--batch")
        {
            Description = "At most this many transactions per POST [default: whatever accumulated since the last POST, at most 1,000]",
            HelpName = "N",
        };
        var seed = new Option<long>("--seed") { Description = "Seed of the synthetic customers and their transactions", DefaultValueFactory = _ => defaults.Seed };
        var burstCustomer = new Option<string?>("--burst-customer")
        {
            Description = "Instead of a steady stream, send a burst of this customer's payments and print the risk of the next one",
            HelpName = "CUSTOMER_ID",
        };
        var burstSize = new Option<int>("--burst-size") { Description = "Transactions in the burst", DefaultValueFactory = _ => defaults.BurstSize };
        var kafka = new Option<string?>("--kafka")
        {
            Description = $"Publish to Kafka at these bootstrap servers instead of posting to a server [env: {KafkaBootstrapVariable}]",
            HelpName = "BOOTSTRAP",
        };
        var topic = new Option<string?>("--topic") { Description = $"Kafka topic [env: {KafkaTopicVariable}; default: {KafkaPublisherOptions.DefaultTopic}]", HelpName = "TOPIC" };
        var kafkaTimeout = new Option<double>("--kafka-timeout")
        {
            Description = "Seconds a Kafka message may wait for its acknowledgement before it counts as failed",
            DefaultValueFactory = _ => defaults.KafkaTimeout.TotalSeconds,
            HelpName = "SECONDS",
        };

        var command = new Command("produce", "Send live synthetic transactions to an amlfs server, or publish them to Kafka")
        {
            url, apiKey, rate, duration, count, batch, seed, burstCustomer, burstSize, kafka, topic, kafkaTimeout,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var problems = new List<string>();
            var serverUrl = ServerUrlOption.Parse(parse.GetValue(url)!, out var urlProblem);
            if (urlProblem is not null)
                problems.Add(urlProblem);
            var key = ApiKeyOption.Read(parse.GetValue(apiKey), environment, out var keyProblem);
            if (keyProblem is not null)
                problems.Add(keyProblem);
            var options = new ProduceOptions
            {
                Url = serverUrl ?? defaults.Url,
                ApiKey = key,
                Rate = parse.GetValue(rate),
                Duration = parse.GetValue(duration) is { } seconds ? Seconds(seconds) : null,
                Count = parse.GetValue(count),
                Batch = parse.GetValue(batch) ?? ProduceOptions.MaxBatch,
                Seed = parse.GetValue(seed),
                BurstCustomer = parse.GetValue(burstCustomer),
                BurstSize = parse.GetValue(burstSize),
                KafkaBootstrapServers = parse.GetValue(kafka) ?? environment.Variables.GetValueOrDefault(KafkaBootstrapVariable),
                Topic = parse.GetValue(topic) ?? environment.Variables.GetValueOrDefault(KafkaTopicVariable) ?? KafkaPublisherOptions.DefaultTopic,
                KafkaTimeout = Seconds(parse.GetValue(kafkaTimeout)),
            };
            problems.AddRange(options.Validate());
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                    environment.Error.WriteLine($"amlfs produce: {problem}");
                return Task.FromResult(1);
            }

            return options.KafkaBootstrapServers is null
                ? RunAsync(environment, options, cancellationToken)
                : RunKafkaAsync(environment, options, cancellationToken);
        });
        return command;
    }

    /// <summary>Seconds as a time span; a value too large or not a number becomes one the options refuse.</summary>
    private static TimeSpan Seconds(double seconds) =>
        double.IsFinite(seconds) && seconds > 0 && seconds < TimeSpan.MaxValue.TotalSeconds / 2 ? TimeSpan.FromSeconds(seconds)
        : seconds > 0 ? TimeSpan.MaxValue : TimeSpan.Zero;

    private static async Task<int> RunAsync(CliEnvironment environment, ProduceOptions options, CancellationToken cancellationToken)
    {
        var console = environment.Console;
        using var client = new AmlfsClient(options.Url, options.ApiKey, environment.Clock);
        if (await CheckHealthAsync(environment, client, cancellationToken).ConfigureAwait(false) is { } failure)
            return failure;

        var traffic = new LiveTraffic(new SyntheticOptions { Seed = options.Seed }, environment.Clock);
        var producer = new Producer(options, client, traffic, environment.Clock, console);
        PredictResponse? prediction = null;
        string? error = null;
        try
        {
            if (options.BurstCustomer is null)
            {
                console.MarkupLine(Invariant, "producing to [bold]{0}[/] at {1:0.###} transactions/s (ids {2}_...){3}",
                    Markup.Escape(options.Url.ToString()), options.Rate, Markup.Escape(traffic.RunId), Markup.Escape(Limits(options)));
                await producer.RunAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                prediction = await producer.RunBurstAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C: a normal way to stop a stream. The batch in flight may or may not have been ingested; sending it
            // again would be harmless, since ingest is idempotent.
        }
        catch (HttpRequestException e)
        {
            error = $"lost the amlfs server at {options.Url}: {e.Message}";
        }
        catch (TaskCanceledException e)
        {
            error = $"the amlfs server at {options.Url} did not answer in time: {e.Message}";
        }
        catch (AmlfsServerException e)
        {
            error = $"the amlfs server at {options.Url} refused the request: {e.Message}";
        }

        console.Write(SummaryTable(options, producer.Totals));
        if (prediction is not null)
            WritePrediction(console, prediction);
        if (error is null)
            return 0;
        await environment.Error.WriteLineAsync($"amlfs produce: {error}").ConfigureAwait(false);
        return 1;
    }

    /// <summary>
    /// Publishes to Kafka; exit code 1 when any message failed, with the number undelivered and the first error, which
    /// names the bootstrap servers.
    /// </summary>
    private static async Task<int> RunKafkaAsync(CliEnvironment environment, ProduceOptions options, CancellationToken cancellationToken)
    {
        var console = environment.Console;
        var traffic = new LiveTraffic(new SyntheticOptions { Seed = options.Seed }, environment.Clock);
        var publisherOptions = new KafkaPublisherOptions
        {
            BootstrapServers = options.KafkaBootstrapServers!,
            Topic = options.Topic,
            MessageTimeout = options.KafkaTimeout,
        };
        PublishTotals totals;
        TimeSpan elapsed;
        using (var publisher = new TransactionPublisher(publisherOptions))
        {
            console.MarkupLine(Invariant, "publishing to Kafka [bold]{0}[/] topic [bold]{1}[/] at {2:0.###} transactions/s (ids {3}_...){4}",
                Markup.Escape(publisherOptions.BootstrapServers), Markup.Escape(publisherOptions.Topic), options.Rate,
                Markup.Escape(traffic.RunId), Markup.Escape(Limits(options)));
            var run = new KafkaProduceRun(options, publisher, traffic, environment.Clock, console);
            totals = await run.RunAsync(cancellationToken).ConfigureAwait(false);
            elapsed = run.Elapsed;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn("Produced").AddColumn(new TableColumn("Value").RightAligned());
        void Row(string name, string value) => table.AddRow(new IRenderable[] { new Text(name), new Text(value) });
        Row("Kafka", publisherOptions.BootstrapServers);
        Row("Topic", publisherOptions.Topic);
        Row("Sent", totals.Published.ToString("N0", Invariant));
        Row("Delivered", totals.Delivered.ToString("N0", Invariant));
        Row("Failed", totals.Failed.ToString("N0", Invariant));
        Row("Elapsed", string.Create(Invariant, $"{elapsed.TotalSeconds:N1} s"));
        var rate = elapsed > TimeSpan.Zero ? totals.Published / elapsed.TotalSeconds : 0;
        Row("Rate", string.Create(Invariant, $"{rate:N1} transactions/s"));
        console.Write(table);
        if (totals.Failed == 0)
            return 0;
        await environment.Error.WriteLineAsync(string.Create(Invariant,
            $"amlfs produce: {totals.Failed:N0} of {totals.Published:N0} transactions were not delivered: {totals.FirstError}")).ConfigureAwait(false);
        return 1;
    }

    /// <summary>Exit code 1 and a message naming the URL when the server cannot be reached; null when it can.</summary>
    private static async Task<int?> CheckHealthAsync(CliEnvironment environment, AmlfsClient client, CancellationToken cancellationToken)
    {
        try
        {
            var (code, status) = await client.HealthAsync(cancellationToken).ConfigureAwait(false);
            if (code != 200)
            {
                environment.Console.MarkupLine(Invariant, "[yellow]the server at {0} reports {1} ({2}); sending anyway[/]",
                    Markup.Escape(client.BaseUrl.ToString()), code, Markup.Escape(status ?? "no status"));
            }

            return null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            await environment.Error.WriteLineAsync(
                $"amlfs produce: cannot reach the amlfs server at {client.BaseUrl}: {e.Message} (is `amlfs up` running? set --url or AMLFS_URL)")
                .ConfigureAwait(false);
            return 1;
        }
    }

    private static string Limits(ProduceOptions options) => (options.Count, options.Duration) switch
    {
        ({ } n, { } d) => string.Create(Invariant, $", {n:N0} transactions or {d.TotalSeconds:0.###} s"),
        ({ } n, null) => string.Create(Invariant, $", {n:N0} transactions"),
        (null, { } d) => string.Create(Invariant, $", for {d.TotalSeconds:0.###} s"),
        _ => ", until Ctrl-C",
    };

    private static Table SummaryTable(ProduceOptions options, ProduceTotals totals)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Produced").AddColumn(new TableColumn("Value").RightAligned());
        void Row(string name, string value) => table.AddRow(new IRenderable[] { new Text(name), new Text(value) });

        Row("Server", options.Url.ToString());
        Row("Sent", totals.Sent.ToString("N0", Invariant));
        Row("Accepted", totals.Accepted.ToString("N0", Invariant));
        Row("Duplicates", totals.Duplicates.ToString("N0", Invariant));
        Row("Rejected", totals.Rejected.ToString("N0", Invariant));
        foreach (var (reason, n) in totals.RejectedByReason)
            Row("  " + reason, n.ToString("N0", Invariant));
        Row("Batches", totals.Batches.ToString("N0", Invariant));
        Row("Retries (server busy)", totals.Retries.ToString("N0", Invariant));
        Row("Elapsed", string.Create(Invariant, $"{totals.Elapsed.TotalSeconds:N1} s"));
        var rate = totals.Elapsed > TimeSpan.Zero ? totals.Sent / totals.Elapsed.TotalSeconds : 0;
        Row("Rate", string.Create(Invariant, $"{rate:N1} transactions/s"));
        foreach (var sample in totals.InvalidSamples)
            Row("  invalid", sample);
        return table;
    }

    private static void WritePrediction(IAnsiConsole console, PredictResponse prediction)
    {
        var colour = prediction.RiskLevel switch { RiskLevelNames.High => "red", RiskLevelNames.Medium => "yellow", _ => "green" };
        console.MarkupLine(Invariant, "[bold]{0}[/] of {1} at {2}: risk [{3}]{4}[/], score {5:0.000} (model {6}, {7:0.###} ms)",
            Markup.Escape(prediction.TransactionId), Markup.Escape(prediction.CustomerId), Markup.Escape(prediction.MerchantId),
            colour, Markup.Escape(prediction.RiskLevel), prediction.RiskScore, Markup.Escape(prediction.ModelVersion), prediction.ProcessingTimeMs);
        foreach (var reason in prediction.Explanation)
            console.MarkupLine("  - " + Markup.Escape(reason));
        if (prediction.FeaturesUsed is { Count: > 0 } features)
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumn("Feature").AddColumn(new TableColumn("Value").RightAligned());
            foreach (var (name, value) in features.OrderBy(f => f.Key, StringComparer.Ordinal))
                table.AddRow(new IRenderable[] { new Text(name), new Text(value.ToString("0.###", Invariant)) });
            console.Write(table);
        }
    }
}
