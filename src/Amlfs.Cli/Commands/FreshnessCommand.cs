using System.Globalization;
using System.Text.Json;
using Amlfs.Cli.Bench;
using Amlfs.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Amlfs.Cli.Commands;

/// <summary><c>amlfs bench freshness</c>: runs <see cref="FreshnessBench"/> against a given or an embedded server.</summary>
internal static class FreshnessCommand
{
    public static async Task<int> RunAsync(CliEnvironment environment, Uri? url, int samples, int warmup, CancellationToken cancellationToken)
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
                result = await FreshnessBench.RunAsync(url, samples, warmup, cancellationToken);
            }
            catch (HttpRequestException e)
            {
                await environment.Error.WriteLineAsync($"amlfs bench freshness: cannot reach the amlfs server at {url}: {e.Message}");
                return 1;
            }

            var table = new Table().AddColumns("measure", "value", "budget");
            table.AddRow("p50", Ms(result.Percentile(50)), "");
            table.AddRow("p99", Ms(result.Percentile(99)), "< 5 ms");
            table.AddRow("max", Ms(result.MaxMs), "");
            table.AddRow("reads per sample", (result.Reads / (double)(samples + warmup)).ToString("0.00", CultureInfo.InvariantCulture), "");
            console.Write(table);
            await environment.Output.WriteLineAsync(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["bench"] = "freshness",
                ["p50_ms"] = Math.Round(result.Percentile(50), 3),
                ["p99_ms"] = Math.Round(result.Percentile(99), 3),
                ["max_ms"] = Math.Round(result.MaxMs, 3),
                ["samples"] = samples,
            }));
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

    private static string Ms(double ms) => ms.ToString("0.000", CultureInfo.InvariantCulture) + " ms";
}
