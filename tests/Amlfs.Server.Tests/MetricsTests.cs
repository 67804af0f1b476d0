using System.Globalization;
using System.Text.RegularExpressions;
using Amlfs.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Server.Tests;

/// <summary>What <c>/metrics</c> of a real server carries besides the API's own counters, and that Prometheus reads it.</summary>
public sealed class MetricsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 15, 0, 0, TimeSpan.Zero);
    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync(new FakeTimeProvider(Now));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Metrics_carry_the_process_and_runtime_figures()
    {
        var text = await MetricsAsync();

        Assert.True(Value(text, "process_cpu_seconds_total") > 0, text);
        Assert.True(Value(text, "process_working_set_bytes") > 0, text);
        Assert.True(Value(text, "process_num_threads") > 0, text);
        Assert.True(Value(text, "dotnet_threadpool_threads") > 0, text);
        Assert.True(Value(text, "dotnet_gc_allocated_bytes_total") > 0, text);
        Assert.Contains("dotnet_collection_count_total{generation=\"0\"} ", text, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_pause_seconds_total ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_export_the_graph_searches_of_the_definitions()
    {
        await _server.PostJsonAsync("/transactions", Requests.Transfer("T1", "C1", "C2", 10m, Now.AddMinutes(-2)));
        await _server.PostJsonAsync("/transactions", Requests.Transfer("T2", "C2", "C1", 9m, Now.AddMinutes(-1)));
        var (status, _) = await _server.PostJsonAsync("/predict", Requests.Transfer("P1", "C1", "C2", 8m, Now));
        Assert.Equal(200, status);

        var text = await MetricsAsync();

        // The meter is the process's: other tests' servers may have searched too, so the counts are at least ours.
        Assert.True(Value(text, "amlfs_graph_searches_total{aggregation=\"cycle_count\"}") >= 1, text);
        Assert.True(Value(text, "amlfs_graph_search_duration_seconds_count{aggregation=\"cycle_count\"}") >= 1, text);
        Assert.Contains("amlfs_graph_bound_hits_total{aggregation=\"cycle_count\"} ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_count_the_feature_vectors_served_and_their_missing_and_out_of_range_values()
    {
        await _server.PostJsonAsync("/transactions", Requests.Transaction("T1", "C1", 10m, Now.AddSeconds(-1)));
        await _server.GetJsonAsync("/features/C1");
        await _server.PostJsonAsync("/predict", Requests.Transaction("P1", "C1", 10m, Now));

        var text = await MetricsAsync();

        Assert.Contains("amlfs_feature_vectors_total{entity=\"customer\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("amlfs_feature_vectors_total{entity=\"merchant\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("amlfs_feature_missing_total{entity=\"customer\",feature=\"txn_count_1h\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("amlfs_feature_out_of_range_total{entity=\"customer\",feature=\"txn_count_1h\"} 0\n", text, StringComparison.Ordinal);
        // A derived feature has no range of its own: only its missing values are counted.
        Assert.Contains("amlfs_feature_missing_total{entity=\"customer\",feature=\"velocity_score_1h\"} 0\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("amlfs_feature_out_of_range_total{entity=\"customer\",feature=\"velocity_score_1h\"}", text, StringComparison.Ordinal);
    }

    [PromtoolFact]
    public async Task Promtool_accepts_the_metrics_of_a_server_that_served_every_kind_of_request()
    {
        await _server.PostJsonAsync("/transactions", Requests.Array(
        [
            Requests.Transaction("T1", "C1", 10m, Now.AddSeconds(-1)),
            Requests.Transaction("T2", "C1", 0m, Now),
        ]));
        await _server.PostJsonAsync("/predict", Requests.Transaction("P1", "C1", 10m, Now));
        await _server.PostJsonAsync("/batch-predict", Requests.Array([Requests.Transaction("P2", "C2", 10m, Now)]));
        await _server.GetJsonAsync("/features/C1");
        await _server.GetJsonAsync("/health");
        var text = await MetricsAsync();

        var (exitCode, output) = await Promtool.RunAsync(["check", "metrics"], text);

        Assert.True(exitCode == 0 && output.Length == 0, $"promtool check metrics exited {exitCode}:{Environment.NewLine}{output}");
    }

    private Task<string> MetricsAsync() => _server.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

    /// <summary>The value of the sample <paramref name="series"/> (name and labels as exported).</summary>
    private static double Value(string text, string series)
    {
        var match = Regex.Match(text, "^" + Regex.Escape(series) + " (\\S+)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"no sample {series} in{Environment.NewLine}{text}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
