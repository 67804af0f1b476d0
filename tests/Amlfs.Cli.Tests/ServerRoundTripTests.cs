using System.Text.Json;
using Amlfs.Testing;

namespace Amlfs.Cli.Tests;

/// <summary>
/// <c>produce</c>, the burst scenario and <c>loadtest</c> against the real server on a real port, checking API keys as
/// <c>amlfs serve</c> does by default.
/// </summary>
public sealed class ServerRoundTripTests : IDisposable
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Produce_streams_transactions_that_the_server_accepts()
    {
        await using var server = await RunningServer.StartWithKeysAsync(_cli.Clock);

        var result = await Task.Run(() => _cli.RunAdvancingClock(Step, "produce", "--url", server.Address.ToString(), "--api-key", server.ApiKey!, "--count", "25", "--rate", "50"));
        var (_, health) = await server.GetJsonAsync("/health");

        Assert.True(result.ExitCode == 0, result.Error + result.Output);
        Assert.Equal("25", health.GetProperty("components").GetProperty("engine").GetProperty("details").GetProperty("accepted").GetString());
    }

    [Fact]
    public async Task The_burst_scenario_ends_with_a_high_risk_score_explained_by_velocity()
    {
        await using var server = await RunningServer.StartWithKeysAsync(_cli.Clock);

        var result = await Task.Run(() => _cli.RunAdvancingClock(Step, "produce", "--url", server.Address.ToString(), "--api-key", server.ApiKey!, "--burst-customer", "CUST_000001", "--burst-size", "30"));

        Assert.True(result.ExitCode == 0, result.Error + result.Output);
        Assert.Contains("HIGH", result.Output, StringComparison.Ordinal);
        Assert.Contains("High velocity:", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loadtest_drives_predict_without_errors_and_ends_with_its_json_line()
    {
        await using var server = await RunningServer.StartWithKeysAsync(_cli.Clock);

        var result = await Task.Run(() => _cli.Run("loadtest", "--url", server.Address.ToString(), "--api-key", server.ApiKey!, "--concurrent", "4", "--duration", "1", "--warmup", "0", "--requests-pool", "50"));

        Assert.True(result.ExitCode == 0, result.Error + result.Output);
        using var json = JsonDocument.Parse(result.OutputLines[^1]);
        Assert.Equal("predict", json.RootElement.GetProperty("bench").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("errors").GetInt64());
        Assert.True(json.RootElement.GetProperty("requests").GetInt64() > 0);
    }

    [Fact]
    public async Task Produce_without_a_key_stops_at_the_first_batch_and_says_how_to_give_one()
    {
        await using var server = await RunningServer.StartWithKeysAsync(_cli.Clock);

        var result = await Task.Run(() => _cli.RunAdvancingClock(Step, "produce", "--url", server.Address.ToString(), "--count", "5", "--rate", "50"));
        var (_, health) = await server.GetJsonAsync("/health");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("answered 401", result.Error, StringComparison.Ordinal);
        Assert.Contains("--api-key or AMLFS_API_KEY", result.Error, StringComparison.Ordinal);
        Assert.Equal("0", health.GetProperty("components").GetProperty("engine").GetProperty("details").GetProperty("accepted").GetString());
    }

    [Fact]
    public async Task Bench_freshness_measures_a_running_server_with_its_key_and_names_a_refused_one()
    {
        await using var server = await RunningServer.StartWithKeysAsync();

        var measured = await Task.Run(() => _cli.Run("bench", "freshness", "--url", server.Address.ToString(), "--api-key", server.ApiKey!, "--samples", "5", "--warmup", "1"));
        var refused = await Task.Run(() => _cli.Run("bench", "freshness", "--url", server.Address.ToString(), "--samples", "5", "--warmup", "1"));

        Assert.True(measured.ExitCode == 0, measured.Error + measured.Output);
        using var json = JsonDocument.Parse(measured.OutputLines[^1]);
        Assert.Equal("freshness", json.RootElement.GetProperty("bench").GetString());
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("refused the key (401)", refused.Error, StringComparison.Ordinal);
    }
}
