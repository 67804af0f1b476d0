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
}
