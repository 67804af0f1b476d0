using System.Diagnostics;
using Amlfs.Testing;

namespace Amlfs.Cli.Tests;

/// <summary>The built <c>amlfs</c> program run as a separate process, with redirected output, as scripts run it.</summary>
public sealed class AmlfsProcessTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void The_program_applies_lists_and_rejects_through_its_exit_code()
    {
        var good = _directory.Write("features.yaml", DefinitionTexts.WithCustomerFeature(DefinitionTexts.PeakHoursFeature));
        var bad = _directory.Write("bad.yaml", DefinitionTexts.DefaultWith("window: 60s", "window: soon"));

        var applied = Amlfs("apply", good, "--data-dir", "data");
        var again = Amlfs("apply", "--data-dir", "data");
        var rejected = Amlfs("apply", bad, "--data-dir", "data");
        var list = Amlfs("features", "list", "--data-dir", "data");

        Assert.Equal((0, ""), (applied.ExitCode, applied.Error));
        Assert.Contains("Applied registry version 1 (22 features)", applied.Output, StringComparison.Ordinal);
        Assert.Equal((0, "No changes: registry version 1 is active\n"), (again.ExitCode, again.Output));
        Assert.Equal((1, ""), (rejected.ExitCode, rejected.Output));
        Assert.Matches(@"bad\.yaml:\d+: txn_amount_sum_60s\.window: must be a duration", rejected.Error);
        Assert.Equal(0, list.ExitCode);
        Assert.StartsWith("Registry version 1 (applied ", list.Output, StringComparison.Ordinal);
        Assert.Contains("| peak_hours_txn_count_1h ", list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', list.Output);
    }

    private CliResult Amlfs(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _directory.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "amlfs.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new CliResult(process.ExitCode, output.ReplaceLineEndings("\n"), error.Result.ReplaceLineEndings("\n"));
    }
}
