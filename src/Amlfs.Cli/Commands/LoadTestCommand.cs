using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Amlfs.Cli.LoadTest;
using Amlfs.Synthetic;
using Spectre.Console;

namespace Amlfs.Cli.Commands;

/// <summary>
/// <c>amlfs loadtest</c>: drives <c>POST /predict</c> of a running server over many keep-alive connections, in a closed
/// loop or at a target rate, and prints the latency distribution and, as its last line, one JSON object. With
/// <c>--stream-clients</c> it opens clients of the dashboard's live stream part-way through the run (or in alternate
/// windows) and reports <c>/predict</c> without and with them, so that the dashboard's cost is measured in one run.
/// </summary>
internal static class LoadTestCommand
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static readonly (string Name, double Percentile)[] Percentiles =
        [("p50", 50), ("p90", 90), ("p95", 95), ("p99", 99), ("p99.9", 99.9)];

    public static Command Create(CliEnvironment environment)
    {
        var defaults = new LoadTestOptions { Url = new Uri(ServerUrlOption.DefaultUrl) };
        var url = ServerUrlOption.Create();
        var apiKey = ApiKeyOption.Create("score, and analyst with --stream-clients, or admin");
        var concurrent = new Option<int>("--concurrent") { Description = "Connections, one request in flight on each", DefaultValueFactory = _ => defaults.Connections };
        var duration = new Option<double>("--duration") { Description = "Seconds measured, after the warmup", DefaultValueFactory = _ => defaults.Duration.TotalSeconds };
        var rate = new Option<double>("--rate")
        {
            Description = "Target requests per second over all connections, latency measured from each request's scheduled time; 0 = closed loop",
            DefaultValueFactory = _ => 0,
        };
        var warmup = new Option<double>("--warmup") { Description = "Seconds of requests sent before measuring", DefaultValueFactory = _ => defaults.Warmup.TotalSeconds };
        var pool = new Option<int>("--requests-pool") { Description = "Distinct /predict bodies, built before the run and sent in turn", DefaultValueFactory = _ => defaults.RequestsPool };
        var timeout = new Option<double>("--timeout") { Description = "Seconds a request may wait for its answer", DefaultValueFactory = _ => defaults.Timeout.TotalSeconds };
        var seed = new Option<long>("--seed") { Description = "Seed of the synthetic transactions", DefaultValueFactory = _ => defaults.Seed };
        var threads = new Option<int>("--threads") { Description = "Threads driving the connections; 0 = one per core", DefaultValueFactory = _ => defaults.Threads };
        var streamClients = new Option<int>("--stream-clients")
        {
            Description = "Clients of the dashboard's live stream (/dashboard/api/stream) opened at --stream-after and read until the end "
                + "(or, with --stream-cycle, in alternate windows); requests/s and p99 are then reported without and with them, and their ratio; 0 = none",
            DefaultValueFactory = _ => 0,
        };
        var streamAfter = new Option<double?>("--stream-after")
        {
            Description = "Seconds into the measured duration at which the stream clients open [default: half of --duration, or one cycle]",
        };
        var streamCycle = new Option<double>("--stream-cycle")
        {
            Description = "Seconds the stream clients stay open, then closed, in turn from --stream-after on, so that the phases without and "
                + "with them alternate through the run; 0 = open once, to the end",
            DefaultValueFactory = _ => 0,
        };

        var command = new Command("loadtest", "Load-test POST /predict of an amlfs server; the last line is one JSON object")
        {
            url, apiKey, concurrent, duration, rate, warmup, pool, timeout, seed, threads, streamClients, streamAfter, streamCycle,
        };
        command.SetAction(parse =>
        {
            var problems = new List<string>();
            var serverUrl = ServerUrlOption.Parse(parse.GetValue(url)!, out var urlProblem);
            if (urlProblem is not null)
                problems.Add(urlProblem);
            var key = ApiKeyOption.Read(parse.GetValue(apiKey), environment, out var keyProblem);
            if (keyProblem is not null)
                problems.Add(keyProblem);
            var options = new LoadTestOptions
            {
                Url = serverUrl ?? defaults.Url,
                ApiKey = key,
                Connections = parse.GetValue(concurrent),
                Duration = Seconds(parse.GetValue(duration)),
                Rate = parse.GetValue(rate),
                Warmup = Seconds(parse.GetValue(warmup)),
                RequestsPool = parse.GetValue(pool),
                Timeout = Seconds(parse.GetValue(timeout)),
                Seed = parse.GetValue(seed),
                Threads = parse.GetValue(threads),
                StreamClients = parse.GetValue(streamClients),
                StreamAfter = parse.GetValue(streamAfter) is { } after ? Seconds(after) : null,
                StreamCycle = Seconds(parse.GetValue(streamCycle)),
            };
            if (serverUrl is not null)
                problems.AddRange(options.Validate());
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                    environment.Error.WriteLine($"amlfs loadtest: {problem}");
                return 1;
            }

            return Run(environment, options);
        });
        return command;
    }

    /// <summary>Seconds as a time span; anything not a usable number of seconds becomes one the options refuse.</summary>
    private static TimeSpan Seconds(double seconds) =>
        double.IsFinite(seconds) && Math.Abs(seconds) < 1e9 ? TimeSpan.FromSeconds(seconds) : TimeSpan.MinValue;

    private static int Run(CliEnvironment environment, LoadTestOptions options)
    {
        var console = environment.Console;
        var traffic = new LiveTraffic(new SyntheticOptions { Seed = options.Seed }, environment.Clock);
        var requests = PredictRequests.Build(options.Url, options.ApiKey, traffic, options.RequestsPool);
        if (Reach(environment, options, requests[0]) is not { } endPoint)
            return 1;
        console.MarkupLine(Invariant, "[bold]loadtest[/] POST {0}predict: {1} connections, {2}, {3:0.###} s warmup + {4:0.###} s measured, {5:N0} distinct requests",
            Markup.Escape(options.Url.ToString()), options.Connections,
            options.Rate > 0 ? string.Create(Invariant, $"{options.Rate:N0} requests/s (open loop)") : "closed loop",
            options.Warmup.TotalSeconds, options.Duration.TotalSeconds, requests.Length);
        if (options.Split is { } split)
        {
            console.MarkupLine(Invariant, "{0} clients of the dashboard's live stream open {1:0.###} s into the measured duration{2}",
                options.StreamClients, split.TotalSeconds,
                options.StreamCycle > TimeSpan.Zero ? string.Create(Invariant, $", then closed and open in turn every {options.StreamCycle.TotalSeconds:0.###} s") : "");
        }

        var result = LoadTestRunner.Run(options, requests, endPoint, StopwatchLoadClock.Instance);

        var table = new Table().AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        void Row(string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
        Row("requests (after warmup)", result.Requests.ToString("N0", Invariant));
        Row("warmup requests (not measured)", result.WarmupRequests.ToString("N0", Invariant));
        Row("duration", string.Create(Invariant, $"{result.ElapsedSeconds:0.000} s"));
        Row("requests/s (successful)", string.Create(Invariant, $"{result.RequestsPerSecond:N1}"));
        foreach (var (name, percentile) in Percentiles)
            Row($"latency {name}", string.Create(Invariant, $"{result.PercentileMs(percentile):0.000} ms"));
        Row("latency max", string.Create(Invariant, $"{result.MaxMs:0.000} ms"));
        Row("errors", result.ErrorCount.ToString("N0", Invariant));
        foreach (var (kind, count) in result.Errors)
            Row($"  {kind}", count.ToString("N0", Invariant));
        if (options.Rate > 0)
            Row("not sent (behind schedule at the end)", result.Unsent.ToString("N0", Invariant));
        Row("connections opened", result.Connects.ToString("N0", Invariant));
        if (result is { StreamSeconds: { } open, Without: { } without, With: { } with })
        {
            Row(string.Create(Invariant, $"requests/s without the streams ({result.ElapsedSeconds - open:0.#} s)"), string.Create(Invariant, $"{result.RequestsPerSecondWithout:N1}"));
            Row(string.Create(Invariant, $"requests/s with {result.Streams.Count} streams open ({open:0.#} s)"), string.Create(Invariant, $"{result.RequestsPerSecondWith:N1}"));
            Row("requests/s with the streams / without", result.Ratio is { } ratio ? string.Create(Invariant, $"{ratio:P1}") : "-");
            Row("latency p99 without / with the streams",
                string.Create(Invariant, $"{LoadTestResult.PercentileMs(without, 99):0.000} / {LoadTestResult.PercentileMs(with, 99):0.000} ms"));
            Row("stream events received per client", string.Join(", ", result.Streams.Select(s => s.Events.ToString("N0", Invariant))));
            foreach (var error in result.Streams.Select(s => s.Error).OfType<string>().Distinct())
                Row("  stream error", error);
        }

        console.Write(table);

        environment.Output.WriteLine(JsonLine(options, result));
        return 0;
    }

    /// <summary>
    /// The server's address when it answers <c>GET /health</c> (any status) and takes the run's first request; null,
    /// after saying why naming the URL, when it cannot be reached or refuses the key (a refused key would make every
    /// request of the run an error).
    /// </summary>
    private static IPEndPoint? Reach(CliEnvironment environment, LoadTestOptions options, byte[] firstRequest)
    {
        var url = options.Url;
        try
        {
            var address = IPAddress.TryParse(url.DnsSafeHost, out var literal)
                ? literal
                : Dns.GetHostAddresses(url.DnsSafeHost).OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).First();
            var endPoint = new IPEndPoint(address, url.Port);
            using var connection = new RawHttpConnection(endPoint, options.Timeout);
            var path = url.AbsolutePath.EndsWith('/') ? url.AbsolutePath + "health" : url.AbsolutePath + "/health";
            var status = connection.Send(PredictRequests.Encode("GET", path, url.Authority, []));
            if (status != 200)
            {
                environment.Console.MarkupLine(Invariant, "[yellow]GET {0} answered {1}: {2}; testing anyway[/]",
                    Markup.Escape(path), status, Markup.Escape(Encoding.UTF8.GetString(connection.Body)));
            }

            var admitted = connection.Send(firstRequest);
            if (admitted is 401 or 403)
            {
                environment.Error.WriteLine($"amlfs loadtest: POST /predict answered {admitted}: {Encoding.UTF8.GetString(connection.Body)}"
                    + (admitted == 401 ? $" (give a key with --api-key or {ApiKeyOption.EnvironmentVariable})" : ""));
                return null;
            }

            return endPoint;
        }
        catch (Exception e) when (e is RawHttpException or SocketException or InvalidOperationException)
        {
            environment.Error.WriteLine($"amlfs loadtest: cannot reach the amlfs server at {url}: {e.Message} (is `amlfs up` running? set --url or AMLFS_URL)");
            return null;
        }
    }

    private static string JsonLine(LoadTestOptions options, LoadTestResult result)
    {
        static double Ms(double value) => Math.Round(value, 3);
        var fields = new Dictionary<string, object?>
        {
            ["bench"] = "predict",
            ["rps"] = Math.Round(result.RequestsPerSecond, 1),
            ["p50_ms"] = Ms(result.PercentileMs(50)),
            ["p90_ms"] = Ms(result.PercentileMs(90)),
            ["p95_ms"] = Ms(result.PercentileMs(95)),
            ["p99_ms"] = Ms(result.PercentileMs(99)),
            ["p999_ms"] = Ms(result.PercentileMs(99.9)),
            ["max_ms"] = Ms(result.MaxMs),
            ["errors"] = result.ErrorCount,
            ["requests"] = result.Requests,
            ["warmup_requests"] = result.WarmupRequests,
            ["duration_s"] = Math.Round(result.ElapsedSeconds, 3),
            ["connections"] = options.Connections,
            ["threads"] = options.ThreadCount,
            ["target_rps"] = options.Rate > 0 ? options.Rate : null,
        };
        if (result is { StreamSeconds: { } open, Without: { } without, With: { } with })
        {
            fields["stream_clients"] = options.StreamClients;
            fields["stream_after_s"] = options.Split?.TotalSeconds;
            fields["stream_cycle_s"] = options.StreamCycle.TotalSeconds;
            fields["stream_open_s"] = Math.Round(open, 3);
            fields["rps_without_streams"] = result.RequestsPerSecondWithout is { } rpsWithout ? Math.Round(rpsWithout, 1) : null;
            fields["rps_with_streams"] = result.RequestsPerSecondWith is { } rpsWith ? Math.Round(rpsWith, 1) : null;
            fields["streams_rps_ratio"] = result.Ratio is { } ratio ? Math.Round(ratio, 4) : null;
            fields["p99_ms_without_streams"] = Ms(LoadTestResult.PercentileMs(without, 99));
            fields["p99_ms_with_streams"] = Ms(LoadTestResult.PercentileMs(with, 99));
            fields["stream_events"] = result.Streams.Select(s => s.Events).ToArray();
            fields["stream_errors"] = result.Streams.Count(s => s.Error is not null);
        }

        return JsonSerializer.Serialize(fields);
    }
}
