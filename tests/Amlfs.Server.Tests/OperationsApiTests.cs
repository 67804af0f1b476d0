using Amlfs.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Server.Tests;

/// <summary>Health, metrics, the OpenAPI document and the docs page over a real port.</summary>
public sealed class OperationsApiTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 15, 0, 0, TimeSpan.Zero);
    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync(new FakeTimeProvider(Now));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Health_reports_every_component()
    {
        var (status, body) = await _server.GetJsonAsync("/health");

        Assert.Equal(200, status);
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        var components = body.GetProperty("components");
        Assert.Equal("healthy", components.GetProperty("engine").GetProperty("status").GetString());
        Assert.Equal("healthy", components.GetProperty("store").GetProperty("status").GetString());
        Assert.Equal("disabled", components.GetProperty("producer").GetProperty("status").GetString());
        Assert.Equal("rules-1", components.GetProperty("model").GetProperty("details").GetProperty("version").GetString());
    }

    [Fact]
    public async Task Metrics_count_ingest_outcomes_and_time_requests_per_route()
    {
        await _server.PostJsonAsync("/transactions", Requests.Array(
        [
            Requests.Transaction("T1", "C1", 10m, Now.AddSeconds(-1)),
            Requests.Transaction("T1", "C1", 10m, Now.AddSeconds(-1)),
            Requests.Transaction("T2", "C1", 10m, Now.AddHours(-1)),
            Requests.Transaction("T3", "C1", 0m, Now),
        ]));
        await _server.PostJsonAsync("/predict", Requests.Transaction("P1", "C1", 10m, Now));

        var text = await _server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains("amlfs_ingest_accepted_total 1\n", text, StringComparison.Ordinal);
        Assert.Contains("amlfs_ingest_duplicates_total 1\n", text, StringComparison.Ordinal);
        Assert.Contains("amlfs_ingest_rejected_total{reason=\"late\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("amlfs_ingest_rejected_total{reason=\"invalid\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("amlfs_predictions_total{level=\"LOW\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("amlfs_ingest_queue_depth 0\n", text, StringComparison.Ordinal);
        Assert.Contains("amlfs_engine_lag_seconds ", text, StringComparison.Ordinal);
        Assert.Contains("amlfs_http_request_duration_seconds_count{route=\"/predict\",method=\"POST\",status=\"200\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("amlfs_http_request_duration_seconds_bucket{route=\"/transactions\",method=\"POST\",status=\"200\",le=\"+Inf\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_describes_every_route()
    {
        var (status, body) = await _server.GetJsonAsync("/openapi/v1.json");

        Assert.Equal(200, status);
        var paths = body.GetProperty("paths");
        foreach (var path in new[] { "/transactions", "/predict", "/batch-predict", "/features/{customer_id}", "/features/merchant/{merchant_id}", "/registry/features", "/health", "/metrics" })
            Assert.True(paths.TryGetProperty(path, out _), $"the document should describe {path}");
        Assert.True(body.GetProperty("components").GetProperty("schemas").TryGetProperty("PredictResponse", out var predict));
        Assert.True(predict.GetProperty("properties").TryGetProperty("risk_level", out _));
    }

    [Fact]
    public async Task The_docs_page_and_its_assets_are_served_by_the_server_itself()
    {
        var page = await _server.Client.GetStringAsync(new Uri("/docs/index.html", UriKind.Relative));
        var script = await _server.Client.GetAsync(new Uri("/docs/swagger-ui-bundle.js", UriKind.Relative));
        var config = await _server.Client.GetStringAsync(new Uri("/docs/index.js", UriKind.Relative));

        Assert.Contains("swagger-ui", page, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", page, StringComparison.Ordinal); // nothing is fetched from the internet
        Assert.Equal(200, (int)script.StatusCode);
        Assert.Contains("/openapi/v1.json", config, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_log_cannot_be_written_ingest_answers_503_and_health_says_why()
    {
        await using var server = await RunningServer.StartAsync(new FakeTimeProvider(Now), configure: s => s with { WalSegmentBytes = 4096 });
        Directory.Delete(Path.Combine(server.DataDirectory, "wal"), recursive: true); // the next segment cannot be created

        var statuses = new List<int>();
        for (var i = 0; i < 100 && !statuses.Contains(503); i++)
        {
            var (status, _) = await server.PostJsonAsync("/transactions", Requests.Array(
                Enumerable.Range(0, 10).Select(k => Requests.Transaction($"T{i}-{k}", "C1", 10m, Now.AddSeconds(-1)))));
            statuses.Add(status);
        }

        var (healthStatus, health) = await server.GetJsonAsync("/health");
        var (after, problem) = await server.PostJsonAsync("/transactions", Requests.Transaction("LAST", "C1", 1m, Now.AddSeconds(-1)));

        Assert.Equal(503, statuses[^1]);
        Assert.Equal(503, healthStatus);
        Assert.Equal("unhealthy", health.GetProperty("components").GetProperty("store").GetProperty("status").GetString());
        Assert.Equal(503, after);
        Assert.Contains("Nothing of this request was acknowledged", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
