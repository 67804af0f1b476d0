using System.Diagnostics;

namespace Amlfs.Testing;

/// <summary>
/// Prometheus's own checker (<c>promtool</c>, from Debian's <c>prometheus</c> package, which <c>.ci/run</c> installs): it
/// lints a metrics exposition and parses rule and configuration files.
/// </summary>
public static class Promtool
{
    /// <summary>The program on the PATH, or null when it is not installed.</summary>
    public static string? Executable { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(directory => Path.Combine(directory, "promtool"))
        .FirstOrDefault(File.Exists);

    /// <summary>Runs <c>promtool ARGS</c> with <paramref name="input"/> on its standard input; returns its exit code and everything it wrote.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(IEnumerable<string> args, string? input = null)
    {
        var start = new ProcessStartInfo(Executable ?? throw new InvalidOperationException("promtool is not installed: apt-get install prometheus"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
            await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
