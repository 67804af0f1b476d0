using System.Text.Json;
using Amlfs.Cli.Tests.Produce;
using Amlfs.Testing;

namespace Amlfs.Cli.Tests.LoadTest;

public sealed class LoadTestCommandTests
{
    [Fact]
    public void Loadtest_prints_its_table_and_ends_with_a_json_line_that_counts_what_the_server_received()
    {
        using var server = new FakeAmlfsServer();
        using var cli = new CliHarness();

        var result = cli.Run("loadtest", "--url", server.Url.ToString(), "--concurrent", "4", "--duration", "0.3", "--warmup", "0.2", "--requests-pool", "50");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.OutputLines[^1]);
        var root = json.RootElement;
        Assert.Equal("predict", root.GetProperty("bench").GetString());
        var requests = root.GetProperty("requests").GetInt64();
        var warmup = root.GetProperty("warmup_requests").GetInt64();
        Assert.True(requests > 0);
        Assert.True(warmup > 0);
        Assert.Equal(server.RequestCount - 2, requests + warmup); // the two others: GET /health and the first request, sent once to check the key
        Assert.Equal(0, root.GetProperty("errors").GetInt64());
        Assert.True(root.GetProperty("rps").GetDouble() > 0);
        foreach (var name in (string[])["p50_ms", "p90_ms", "p95_ms", "p99_ms", "p999_ms", "max_ms"])
            Assert.True(root.GetProperty(name).GetDouble() > 0, name);
        foreach (var row in (string[])["requests (after warmup)", "requests/s", "latency p50", "latency p99.9", "latency max", "errors"])
            Assert.Contains(row, result.Output, StringComparison.Ordinal);

        var predict = server.Requests.First(r => r.Path == "/predict");
        using var body = JsonDocument.Parse(predict.Body);
        Assert.False(body.RootElement.TryGetProperty("timestamp", out _));
        Assert.StartsWith("CUST_", body.RootElement.GetProperty("customer_id").GetString(), StringComparison.Ordinal);
        Assert.Equal(4, server.Connections - 1);
    }

    [Fact]
    public void Open_loop_sends_at_the_target_rate_and_counts_every_request()
    {
        using var server = new FakeAmlfsServer();
        using var cli = new CliHarness();

        var result = cli.Run("loadtest", "--url", server.Url.ToString(), "--concurrent", "2", "--rate", "200", "--duration", "0.3", "--warmup", "0", "--requests-pool", "10");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.OutputLines[^1]);
        var requests = json.RootElement.GetProperty("requests").GetInt64();
        Assert.Equal(server.RequestCount - 2, requests);
        Assert.InRange(requests, 1, 60); // never more than the schedule holds
        Assert.Equal(200, json.RootElement.GetProperty("target_rps").GetDouble());
    }

    [Fact]
    public void Error_answers_are_counted_by_status()
    {
        using var server = new FakeAmlfsServer(r => r.Path == "/predict" ? new FakeResponse(500, """{"title":"boom"}""") : null);
        using var cli = new CliHarness();

        var result = cli.Run("loadtest", "--url", server.Url.ToString(), "--concurrent", "2", "--duration", "0.2", "--warmup", "0", "--requests-pool", "5");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.OutputLines[^1]);
        var requests = json.RootElement.GetProperty("requests").GetInt64();
        Assert.True(requests > 0);
        Assert.Equal(requests, json.RootElement.GetProperty("errors").GetInt64());
        Assert.Equal(0, json.RootElement.GetProperty("rps").GetDouble());
        Assert.Matches(@"http_500\s+\S\s+" + requests.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), result.Output);
    }

    [Fact]
    public async Task With_stream_clients_the_report_gives_predict_without_and_with_the_dashboard_streams_open()
    {
        await using var server = await RunningServer.StartWithKeysAsync();
        using var cli = new CliHarness();

        var result = cli.Run("loadtest", "--url", server.Address.ToString(), "--api-key", server.ApiKey!, "--concurrent", "2", "--rate", "100", "--duration", "4", "--warmup", "0",
            "--requests-pool", "20", "--stream-clients", "2", "--stream-after", "1");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.OutputLines[^1]);
        var root = json.RootElement;
        Assert.Equal((2, 1.0), (root.GetProperty("stream_clients").GetInt32(), root.GetProperty("stream_after_s").GetDouble()));
        Assert.Equal(0, root.GetProperty("errors").GetInt64());
        Assert.True(root.GetProperty("rps_without_streams").GetDouble() > 0);
        Assert.True(root.GetProperty("rps_with_streams").GetDouble() > 0);
        Assert.True(root.GetProperty("streams_rps_ratio").GetDouble() > 0);
        // Both clients read the live stream: the server sends its newest update at once, then one a second.
        var events = root.GetProperty("stream_events").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        Assert.Equal(2, events.Length);
        Assert.All(events, e => Assert.True(e >= 1, $"a stream client received {e} events"));
        Assert.Equal(0, root.GetProperty("stream_errors").GetInt32());
        foreach (var row in (string[])["requests/s without the streams (1 s)", "requests/s with 2 streams open", "requests/s with the streams / without"])
            Assert.Contains(row, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_clients_that_open_and_close_in_turn_read_the_stream_in_every_window()
    {
        await using var server = await RunningServer.StartAsync();
        using var cli = new CliHarness();

        // Open during [1, 2) and [3, 4) of the measured four seconds.
        var result = cli.Run("loadtest", "--url", server.Address.ToString(), "--concurrent", "2", "--rate", "100", "--duration", "4", "--warmup", "0",
            "--requests-pool", "20", "--stream-clients", "1", "--stream-after", "1", "--stream-cycle", "1");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.OutputLines[^1]);
        var root = json.RootElement;
        Assert.Equal((1.0, 1.0), (root.GetProperty("stream_after_s").GetDouble(), root.GetProperty("stream_cycle_s").GetDouble()));
        Assert.True(root.GetProperty("rps_without_streams").GetDouble() > 0);
        Assert.True(root.GetProperty("rps_with_streams").GetDouble() > 0);
        // Each opening gets the newest update at once: two windows, two events at least.
        Assert.True(root.GetProperty("stream_events")[0].GetInt64() >= 2, root.GetProperty("stream_events").ToString());
        Assert.Equal(0, root.GetProperty("stream_errors").GetInt32());
        Assert.Contains("then closed and open in turn every 1 s", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_without_stream_clients_reports_no_phases()
    {
        using var server = new FakeAmlfsServer();
        using var cli = new CliHarness();

        var result = cli.Run("loadtest", "--url", server.Url.ToString(), "--concurrent", "1", "--duration", "0.2", "--warmup", "0", "--requests-pool", "5");

        using var json = JsonDocument.Parse(result.OutputLines[^1]);
        Assert.False(json.RootElement.TryGetProperty("rps_without_streams", out _));
        Assert.DoesNotContain(server.Requests, r => r.Path.StartsWith("/dashboard", StringComparison.Ordinal));
    }

    [Fact]
    public void Bad_stream_options_are_named_and_exit_1()
    {
        using var cli = new CliHarness();

        var alone = cli.Run("loadtest", "--url", "http://127.0.0.1:9/", "--stream-after", "1");
        var late = cli.Run("loadtest", "--url", "http://127.0.0.1:9/", "--duration", "2", "--stream-clients", "1", "--stream-after", "2");
        var cycle = cli.Run("loadtest", "--url", "http://127.0.0.1:9/", "--duration", "2", "--stream-clients", "1", "--stream-after", "1", "--stream-cycle", "3");

        Assert.Equal((1, 1, 1), (alone.ExitCode, late.ExitCode, cycle.ExitCode));
        Assert.Contains("--stream-after and --stream-cycle need --stream-clients", alone.Error, StringComparison.Ordinal);
        Assert.Contains("--stream-after must be more than 0 and less than --duration, in seconds, got 2", late.Error, StringComparison.Ordinal);
        Assert.Contains("--stream-cycle must be 0 or a number of seconds that fits after --stream-after within --duration, got 3", cycle.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_key_goes_with_every_request_and_a_refused_key_stops_the_run_before_it_starts()
    {
        const string Key = "amlfs_0123456789ab_secret";
        using var keyed = new FakeAmlfsServer();
        using var refusing = new FakeAmlfsServer(r => r.Path == "/predict" ? new FakeResponse(401, """{"title":"Unauthorized","detail":"this route needs an API key"}""") : null);
        using var cli = new CliHarness();

        var sent = cli.Run("loadtest", "--url", keyed.Url.ToString(), "--api-key", Key, "--concurrent", "1", "--duration", "0.2", "--warmup", "0", "--requests-pool", "5");
        var refused = cli.Run("loadtest", "--url", refusing.Url.ToString(), "--concurrent", "1", "--duration", "0.2", "--warmup", "0", "--requests-pool", "5");
        var malformed = cli.Run("loadtest", "--url", keyed.Url.ToString(), "--api-key", "hunter2");

        Assert.Equal(0, sent.ExitCode);
        Assert.All(keyed.Requests.Where(r => r.Path == "/predict"), r => Assert.Equal("Bearer " + Key, r.Headers["authorization"]));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("POST /predict answered 401", refused.Error, StringComparison.Ordinal);
        Assert.Contains("--api-key or AMLFS_API_KEY", refused.Error, StringComparison.Ordinal);
        Assert.Single(refusing.Requests, r => r.Path == "/predict");
        Assert.Equal(1, malformed.ExitCode);
        Assert.Contains("is not an amlfs key", malformed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Loadtest_exits_1_naming_the_url_when_the_server_is_unreachable()
    {
        var url = $"http://127.0.0.1:{ProduceCommandTests.ClosedPort()}/";
        using var cli = new CliHarness();

        var result = cli.Run("loadtest", "--url", url, "--duration", "1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"cannot reach the amlfs server at {url}", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_loadtest_options_are_named_and_exit_1()
    {
        using var cli = new CliHarness();

        var result = cli.Run("loadtest", "--url", "https://example.org/", "--concurrent", "0", "--rate", "-5", "--duration", "0");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--url must be a plain http:// address", result.Error, StringComparison.Ordinal);
        Assert.Contains("--concurrent must be between 1 and 10,000, got 0", result.Error, StringComparison.Ordinal);
        Assert.Contains("--rate must be 0 (closed loop) or a positive number", result.Error, StringComparison.Ordinal);
        Assert.Contains("--duration must be a positive number of seconds, got 0", result.Error, StringComparison.Ordinal);
    }
}
