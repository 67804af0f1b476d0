using System.Globalization;
using System.Text.Json;

namespace Amlfs.Cli.Tests.Commands;

public sealed class BenchCommandTests
{
    [Fact]
    public void Bench_engine_prints_its_figures_and_ends_with_one_json_line()
    {
        using var cli = new CliHarness();
        // A process of its own: the bench reads the heap, which other tests running in this process would disturb.
        var result = cli.RunProcess("bench", "engine", "--customers", "300", "--merchants", "30", "--days", "2");

        Assert.Equal(0, result.ExitCode);
        var last = result.Output.TrimEnd('\n').Split('\n')[^1];
        using var json = JsonDocument.Parse(last);
        Assert.Equal("engine", json.RootElement.GetProperty("bench").GetString());
        Assert.True(json.RootElement.GetProperty("events_per_sec").GetDouble() > 0);
        Assert.True(json.RootElement.GetProperty("read_p99_us").GetDouble() > 0);
        Assert.True(json.RootElement.GetProperty("allocated_bytes_per_event").GetDouble() >= 0);
        Assert.True(json.RootElement.GetProperty("bytes_per_entity").GetDouble() > 0);
        Assert.Contains("ingest throughput, steady state", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("memory", 100, false)]
    [InlineData("garnet", 0, true)]
    public void Bench_worker_prints_its_figures_and_ends_with_one_json_line(string store, int warmup, bool decide)
    {
        using var cli = new CliHarness();
        string[] args = ["bench", "worker", "--messages", "400", "--warmup", warmup.ToString(CultureInfo.InvariantCulture), "--online-store", store];
        var result = cli.Run(decide ? [.. args, "--decide"] : args);

        Assert.True(result.ExitCode == 0, result.Error);
        var last = result.Output.TrimEnd('\n').Split('\n')[^1];
        using var json = JsonDocument.Parse(last);
        var root = json.RootElement;
        Assert.Equal("worker", root.GetProperty("bench").GetString());
        Assert.Equal(store, root.GetProperty("online_store").GetString());
        Assert.Equal(400, root.GetProperty("messages").GetInt64());
        // Every message once more on the merchant topic, and on the IP's and the device's when it has them.
        var rekeyed = root.GetProperty("rekeyed_messages").GetInt64();
        Assert.InRange(rekeyed, 401, 1_200);
        Assert.Equal(400 + rekeyed, root.GetProperty("messages_consumed").GetInt64());
        Assert.Equal(warmup, root.GetProperty("warmup_messages").GetInt64());
        Assert.Equal(4, root.GetProperty("partitions").GetInt32());
        Assert.Equal(16, root.GetProperty("partitions_owned").GetInt32()); // source, merchant, IP and device topics
        Assert.True(root.GetProperty("seconds").GetDouble() > 0);
        Assert.True(root.GetProperty("messages_per_sec").GetDouble() > 0);
        Assert.True(root.GetProperty("per_partition_per_sec").GetDouble() > 0);
        Assert.True(root.GetProperty("states_written").GetInt64() > 0);
        Assert.True(root.GetProperty("checkpoints").GetInt64() > 0);
        Assert.Equal(decide ? 400 : 0, root.GetProperty("decisions").GetInt64());
        Assert.True(root.GetProperty("cold_messages_per_sec").GetDouble() > 0);
        Assert.Contains("worker throughput, every topic", result.Output, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{400 + rekeyed:N0} (400 + {rekeyed:N0})"), result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_bench_worker_options_are_named_and_exit_1()
    {
        using var cli = new CliHarness();
        var result = cli.Run("bench", "worker", "--messages", "100000", "--warmup", "-1", "--online-store", "disk");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--messages must be between 1 and 48,000", result.Error, StringComparison.Ordinal);
        Assert.Contains("--warmup must be between 0 and 48,000", result.Error, StringComparison.Ordinal);
        Assert.Contains("--online-store must be garnet or memory", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_bench_options_are_named_and_exit_1()
    {
        using var cli = new CliHarness();
        var result = cli.Run("bench", "engine", "--customers", "0", "--shards", "0");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("customers", result.Error, StringComparison.Ordinal);
        Assert.Contains("shards must be between 1 and 256", result.Error, StringComparison.Ordinal);
    }
}
