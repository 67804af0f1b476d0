namespace Amlfs.Cli.Tests.Commands;

/// <summary><c>amlfs worker</c> refuses bad settings before connecting to anything, naming what is wrong.</summary>
public sealed class WorkerCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Without_kafka_or_an_online_store_both_are_named()
    {
        var result = _cli.Run("worker");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no Kafka to consume: give --kafka BOOTSTRAP or set KAFKA_BOOTSTRAP_SERVERS", result.Error, StringComparison.Ordinal);
        Assert.Contains("no online store to write: give --online-store redis://HOST:PORT or set REDIS_HOST", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_online_store_url_is_named_without_its_password()
    {
        var result = _cli.Run("worker", "--kafka", "127.0.0.1:9", "--online-store", "http://:secret@cache:6379");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--online-store 'http://***@cache:6379'", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_redis_variables_stand_in_for_the_url_and_a_bad_port_is_named()
    {
        _cli.Variables["KAFKA_BOOTSTRAP_SERVERS"] = "127.0.0.1:9";
        _cli.Variables["REDIS_HOST"] = "cache";
        _cli.Variables["REDIS_PORT"] = "sixty";

        var result = _cli.Run("worker");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("REDIS_PORT is not a port number", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--group", "bad/group", "group: 'bad/group' is not a valid Kafka name")]
    [InlineData("--topic", "tx space", "topic: 'tx space' is not a valid Kafka name")]
    [InlineData("--checkpoint-interval", "0", "checkpoint interval: must be positive")]
    [InlineData("--session-timeout", "0.5", "session timeout: must be at least 1 s")]
    [InlineData("--fetch-wait", "0", "fetch wait: must be between 1 ms and 5 s")]
    public void A_bad_worker_setting_is_named(string flag, string value, string message)
    {
        var result = _cli.Run("worker", "--kafka", "127.0.0.1:9", "--online-store", "redis://cache:6379", flag, value);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Metrics_auth_without_a_metrics_port_and_a_keys_file_without_metrics_auth_are_named()
    {
        var noPort = _cli.Run("worker", "--kafka", "127.0.0.1:9", "--online-store", "redis://cache:6379", "--metrics-auth");
        var noAuth = _cli.Run("worker", "--kafka", "127.0.0.1:9", "--online-store", "redis://cache:6379", "--metrics-port", "0", "--keys-file", "keys.json");
        var both = _cli.Run("worker", "--kafka", "127.0.0.1:9", "--online-store", "redis://cache:6379", "--metrics-port", "0", "--metrics-auth",
            "--keys-file", "keys.json", "--keys-in-store");

        Assert.Equal((1, 1, 1), (noPort.ExitCode, noAuth.ExitCode, both.ExitCode));
        Assert.Contains("amlfs worker: --metrics-auth takes effect with --metrics-port", noPort.Error, StringComparison.Ordinal);
        Assert.Contains("amlfs worker: --keys-file and --keys-in-store take effect with --metrics-auth", noAuth.Error, StringComparison.Ordinal);
        Assert.Contains("amlfs worker: give --keys-file or --keys-in-store, not both", both.Error, StringComparison.Ordinal);
    }
}
