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
}
