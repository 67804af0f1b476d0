using System.Globalization;
using System.Text.Json;
using Amlfs.Cli.Bench;
using Amlfs.Cli.Distributed;
using Amlfs.Kafka;
using Amlfs.Kafka.Development;
using Amlfs.Redis;
using Amlfs.Server;
using Amlfs.Server.Hosting;
using Amlfs.Storage;
using Amlfs.Transactions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Amlfs.Cli.Commands;

/// <summary><c>amlfs bench freshness</c>: runs <see cref="FreshnessBench"/> against a given or an embedded server.</summary>
internal static class FreshnessCommand
{
    public static async Task<int> RunAsync(CliEnvironment environment, Uri? url, string? apiKey, int samples, int warmup, CancellationToken cancellationToken)
    {
        var console = environment.Console;
        string? temporary = null;
        WebApplication? app = null;
        try
        {
            if (url is null)
            {
                temporary = Path.Combine(Path.GetTempPath(), "amlfs-freshness-" + Guid.NewGuid().ToString("N"));
                app = AmlfsServer.Build(new ServerSettings { Port = 0, DataDirectory = temporary, LogLevel = LogLevel.Warning }, environment.Clock);
                await app.StartAsync(cancellationToken);
                url = AmlfsServer.Address(app);
                console.MarkupLine(CultureInfo.InvariantCulture, "[bold]bench freshness[/]: embedded server at {0} (write-ahead log fsynced before every acknowledgement)", url);
            }
            else
            {
                console.MarkupLine(CultureInfo.InvariantCulture, "[bold]bench freshness[/]: server at {0}", Markup.Escape(url.ToString()));
            }

            console.MarkupLine(CultureInfo.InvariantCulture, "{0:N0} transactions measured after {1:N0} warmup, one new customer each", samples, warmup);
            FreshnessResult result;
            try
            {
                result = await FreshnessBench.RunAsync(url, apiKey, samples, warmup, cancellationToken);
            }
            catch (HttpRequestException e) when (e.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
            {
                await environment.Error.WriteLineAsync(
                    $"amlfs bench freshness: the server at {url} refused the key ({(int)e.StatusCode}): give an admin key (it posts and reads) with --api-key or {ApiKeyOption.EnvironmentVariable}");
                return 1;
            }
            catch (HttpRequestException e)
            {
                await environment.Error.WriteLineAsync($"amlfs bench freshness: cannot reach the amlfs server at {url}: {e.Message}");
                return 1;
            }

            await ReportAsync(environment, "freshness", "< 5 ms", result, samples + warmup);
            return 0;
        }
        finally
        {
            if (app is not null)
            {
                await app.StopAsync(CancellationToken.None);
                await app.DisposeAsync();
            }

            if (temporary is not null)
                Directory.Delete(temporary, recursive: true);
        }
    }

    /// <summary>
    /// <c>amlfs bench freshness --distributed</c>: the distributed topology on this machine (mock Kafka, in-process
    /// Redis, two workers) and an API replica reading the Redis; each sample is published to Kafka and the clock
    /// starts when the Kafka client has it, so the figure covers Kafka, a worker, the Redis write and the replica's read.
    /// </summary>
    public static async Task<int> RunDistributedAsync(CliEnvironment environment, int samples, int warmup, CancellationToken cancellationToken)
    {
        var console = environment.Console;
        var temporary = Path.Combine(Path.GetTempPath(), "amlfs-freshness-" + Guid.NewGuid().ToString("N"));
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole(o => o.SingleLine = true));
        try
        {
            var definition = new RegistryStore(temporary).Active.Definition;
            await using var trial = await DistributedTrial.StartAsync(definition, workers: 2, decide: null, loggers, environment.Clock, cancellationToken);
            await using var store = await RedisOnlineStore.ConnectAsync(trial.Redis, cancellationToken);
            var settings = new ServerSettings { Port = 0, DataDirectory = temporary, LogLevel = LogLevel.Warning, OnlineStore = store, OnlineStoreEndpoint = trial.Redis.ToString() };
            await using var app = AmlfsServer.Build(settings, environment.Clock);
            await app.StartAsync(cancellationToken);
            var url = AmlfsServer.Address(app);
            using var publisher = new TransactionPublisher(new KafkaPublisherOptions { BootstrapServers = trial.BootstrapServers, Linger = TimeSpan.Zero });
            console.MarkupLine(CultureInfo.InvariantCulture,
                "[bold]bench freshness --distributed[/]: mock Kafka at {0}, Redis-protocol server at {1}, 2 workers, API replica at {2} (development stand-ins on this machine)",
                trial.BootstrapServers, trial.Redis, url);
            var partitions = trial.Topics!.Roles.Count * MockKafkaCluster.PartitionsPerTopic;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (trial.WorkerTotals.Sum(t => t.Partitions) < partitions)
            {
                if (DateTime.UtcNow > deadline || trial.Failures.Count > 0)
                {
                    await environment.Error.WriteLineAsync($"amlfs bench freshness: the workers did not take all {partitions} partitions within a minute{string.Concat(trial.Failures.Select(f => ": " + f.Message))}");
                    return 1;
                }

                await Task.Delay(50, cancellationToken);
            }

            console.MarkupLine(CultureInfo.InvariantCulture, "{0:N0} transactions measured after {1:N0} warmup, one new customer each, published to Kafka", samples, warmup);
            var result = await FreshnessBench.RunAsync(url, null, samples, warmup, (customer, _) =>
            {
                publisher.Publish(new Transaction
                {
                    TransactionId = customer + "_T",
                    CustomerId = customer,
                    MerchantId = "MERCH_FRESH",
                    AmountCents = 12_34,
                    TimestampMs = environment.Clock.GetUtcNow().ToUnixTimeMilliseconds(),
                });
                return Task.CompletedTask;
            }, cancellationToken);
            await app.StopAsync(CancellationToken.None);
            await ReportAsync(environment, "freshness_distributed", "< 50 ms", result, samples + warmup);
            return 0;
        }
        finally
        {
            if (Directory.Exists(temporary))
                Directory.Delete(temporary, recursive: true);
        }
    }

    private static async Task ReportAsync(CliEnvironment environment, string bench, string p99Budget, FreshnessResult result, int sent)
    {
        var table = new Table().AddColumns("measure", "value", "budget");
        table.AddRow("p50", Ms(result.Percentile(50)), "");
        table.AddRow("p99", Ms(result.Percentile(99)), p99Budget);
        table.AddRow("max", Ms(result.MaxMs), "");
        table.AddRow("reads per sample", (result.Reads / (double)sent).ToString("0.00", CultureInfo.InvariantCulture), "");
        environment.Console.Write(table);
        await environment.Output.WriteLineAsync(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["bench"] = bench,
            ["p50_ms"] = Math.Round(result.Percentile(50), 3),
            ["p99_ms"] = Math.Round(result.Percentile(99), 3),
            ["max_ms"] = Math.Round(result.MaxMs, 3),
            ["samples"] = result.Samples,
        }));
    }

    private static string Ms(double ms) => ms.ToString("0.000", CultureInfo.InvariantCulture) + " ms";
}
