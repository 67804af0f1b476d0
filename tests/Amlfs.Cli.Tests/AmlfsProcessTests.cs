using Amlfs.Testing;

namespace Amlfs.Cli.Tests;

/// <summary>The built <c>amlfs</c> program run as a separate process, with redirected output, as scripts run it.</summary>
public sealed class AmlfsProcessTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void The_program_applies_lists_and_rejects_through_its_exit_code()
    {
        var good = _cli.Write("features.yaml", DefinitionTexts.WithCustomerFeature(DefinitionTexts.PeakHoursFeature));
        var bad = _cli.Write("bad.yaml", DefinitionTexts.DefaultWith("window: 60s", "window: soon"));

        var applied = _cli.RunProcess("apply", good, "--data-dir", "data");
        var again = _cli.RunProcess("apply", "--data-dir", "data");
        var rejected = _cli.RunProcess("apply", bad, "--data-dir", "data");
        var list = _cli.RunProcess("features", "list", "--data-dir", "data");

        Assert.Equal((0, ""), (applied.ExitCode, applied.Error));
        Assert.Contains($"Applied registry version 1 ({DefinitionTexts.DefaultFeatureCount + 1} features)", applied.Output, StringComparison.Ordinal);
        Assert.Equal((0, "No changes: registry version 1 is active\n"), (again.ExitCode, again.Output));
        Assert.Equal((1, ""), (rejected.ExitCode, rejected.Output));
        Assert.Matches(@"bad\.yaml:\d+: txn_amount_sum_60s\.window: must be a duration", rejected.Error);
        Assert.Equal(0, list.ExitCode);
        Assert.StartsWith("Registry version 1 (applied ", list.Output, StringComparison.Ordinal);
        Assert.Contains("| peak_hours_txn_count_1h ", list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', list.Output);
    }
}
