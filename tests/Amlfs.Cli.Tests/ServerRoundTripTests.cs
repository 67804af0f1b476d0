using System.Text.Json;
using Amlfs.Testing;

namespace Amlfs.Cli.Tests;

/// <summary><c>produce</c>, the burst scenario and <c>loadtest</c> against the real server on a real port.</summary>
public sealed class ServerRoundTripTests : IDisposable
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Produce_streams_transactions_that_the_server_accepts()
    {
        await using var server = await RunningServer.StartAsync(_cli.Clock);

        var result = await Task.Run(() => _cli.RunAdvancingClock(Step, "produce", "--url", server.Address.ToString(), "--count", "25", "--rate", "50"));
        var (_, health) = await server.GetJsonAsync("/health");

        Assert.True(result.ExitCode == 0, result.Error + result.Output);
        Assert.Equal("25", health.GetProperty("components").GetProperty("engine").GetProperty("details").GetProperty("accepted").GetString());
    }

    [Fact]
    public async Task The_burst_scenario_ends_with_a_high_risk_score_explained_by_velocity()
    {
        await using var server = await RunningServer.StartAsync(_cli.Clock);

        var result = await Task.Run(() => _cli.RunAdvancingClock(Step, "produce", "--url", server.Address.ToString(), "--burst-customer", "CUST_000001", "--burst-size", "30"));

        Assert.True(result.ExitCode == 0, result.Error + result.Output);
        Assert.Contains("HIGH", result.Output, StringComparison.Ordinal);
        Assert.Contains("High velocity:", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loadtest_drives_predict_without_errors_and_ends_with_its_json_line()
    {
        await using var server = await RunningServer.StartAsync(_cli.Clock);

        var result = await Task.Run(() => _cli.Run("loadtest", "--url", server.Address.ToString(), "--concurrent", "4", "--duration", "1", "--warmup", "0", "--requests-pool", "50"));

        Assert.True(result.ExitCode == 0, result.Error + result.Output);
        using var json = JsonDocument.Parse(result.OutputLines[^1]);
        Assert.Equal("predict", json.RootElement.GetProperty("bench").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("errors").GetInt64());
        Assert.True(json.RootElement.GetProperty("requests").GetInt64() > 0);
    }
}
