using Amlfs.Testing;

namespace Amlfs.Cli.Tests.Commands;

/// <summary><c>amlfs serve</c> and <c>amlfs up</c> refuse bad settings before listening, naming what is wrong.</summary>
public sealed class ServeCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void A_port_variable_that_is_not_a_number_is_named()
    {
        _cli.Variables["API_PORT"] = "eighty";

        var result = _cli.Run("serve");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("API_PORT 'eighty' is not a port number", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_log_level_is_named()
    {
        _cli.Variables["LOG_LEVEL"] = "loud";

        var result = _cli.Run("up", "--no-producer");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("log level 'loud'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_risk_model_override_stops_the_start_naming_the_variable()
    {
        _cli.Variables["AMLFS_RISK_HIGH_THRESHOLD"] = "2";

        var result = _cli.Run("serve", "--port", "0");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("AMLFS_RISK_HIGH_THRESHOLD", result.Error, StringComparison.Ordinal);
        Assert.Contains("the server cannot start", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_negative_producer_rate_is_refused()
    {
        var result = _cli.Run("up", "--port", "0", "--rate", "-1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("rate: must be greater than 0", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_port_out_of_range_is_refused()
    {
        var result = _cli.Run("serve", "--port", "70000");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("port: must be between 0 and 65535", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_online_store_url_that_is_not_redis_is_named()
    {
        var result = _cli.Run("serve", "--port", "0", "--online-store", "http://cache:6379");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--online-store 'http://cache:6379' is not a redis://", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_online_store_url_is_named_without_its_password()
    {
        var result = _cli.Run("serve", "--port", "0", "--online-store", "https://:hunter2@cache");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'https://***@cache'", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Error + result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--online-store")]
    [InlineData("--online-store", "env")]
    public void An_online_store_without_a_url_needs_the_redis_host_variable(params string[] args)
    {
        var result = _cli.Run(["serve", "--port", "0", .. args]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("REDIS_HOST is not set", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_redis_port_variable_is_named()
    {
        _cli.Variables["REDIS_HOST"] = "cache";
        _cli.Variables["REDIS_PORT"] = "sixty";

        var result = _cli.Run("serve", "--port", "0", "--online-store");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("REDIS_PORT is not a port number", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_replica_refuses_to_log_features()
    {
        _cli.Variables["REDIS_HOST"] = "127.0.0.1";
        _cli.Variables["REDIS_PORT"] = GarnetServerFixture.FreeTcpPort().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var result = _cli.Run("serve", "--port", "0", "--online-store", "--log-features");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("log-features: not supported by a replica", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Up_does_not_take_an_online_store()
    {
        var result = _cli.Run("up", "--no-producer", "--online-store", "redis://cache:6379");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--online-store", result.Error, StringComparison.Ordinal);
    }
}
