using Amlfs.Cli.Commands;
using Amlfs.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Amlfs.Cli.Tests;

/// <summary>
/// Runs amlfs commands in-process in a temporary working directory (deleted on dispose), with a fake clock, capturing
/// standard output and standard error as a redirected process would produce them.
/// </summary>
public sealed class CliHarness : IDisposable
{
    public static readonly DateTimeOffset Start = new(2025, 3, 14, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();

    public string WorkingDirectory => _directory.Path;

    public FakeTimeProvider Clock { get; } = new(Start);

    /// <summary>The environment variables commands see.</summary>
    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    /// <summary>Writes a file in the working directory and returns its name.</summary>
    public string Write(string name, string text)
    {
        _directory.Write(name, text);
        return name;
    }

    public string PathOf(string name) => _directory.File(name);

    public CliResult Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = AmlfsCli.Run(args, new CliEnvironment(output, error, WorkingDirectory, Clock, variables: Variables));
        return new CliResult(code, output.ToString().ReplaceLineEndings("\n"), error.ToString().ReplaceLineEndings("\n"));
    }

    /// <summary>
    /// Runs a command that waits on the clock (pacing, Retry-After), advancing the fake clock by <paramref name="step"/>
    /// each time the command has not finished after a millisecond, so that its waits end without real waiting.
    /// </summary>
    public CliResult RunAdvancingClock(TimeSpan step, params string[] args)
    {
        var run = Task.Run(() => Run(args));
        while (!run.Wait(1))
            Clock.Advance(step);
        return run.Result;
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>
    /// Runs the built <c>amlfs</c> program as a process of its own in the working directory, as scripts run it: for
    /// commands whose figures the tests' other threads would disturb (heap measurements), and for exit codes and
    /// output as a shell sees them.
    /// </summary>
    public CliResult RunProcess(params string[] args) =>
        RunProgram("dotnet", [Path.Combine(AppContext.BaseDirectory, "amlfs.dll"), .. args]);

    /// <summary>
    /// Runs <paramref name="fileName"/> with <paramref name="args"/> in the working directory and captures its output;
    /// one that has not exited within five minutes is killed and the test fails.
    /// </summary>
    public CliResult RunProgram(string fileName, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(fileName)
        {
            WorkingDirectory = WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = System.Diagnostics.Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not exit within 5 minutes");
        }

        return new CliResult(process.ExitCode, output.Result.ReplaceLineEndings("\n"), error.Result.ReplaceLineEndings("\n"));
    }
}
