using System.Diagnostics;
using System.Text;

namespace Amlfs.Testing;

/// <summary>
/// The built <c>amlfs</c> program running <c>serve</c> as a separate process on a free port, for tests that must kill
/// a real server. The test project must reference the CLI so that <c>amlfs.dll</c> sits next to the tests.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process)
    {
        _process = process;
    }

    public Uri Address { get; private set; } = null!;

    /// <summary>Everything the process wrote so far (standard output and error), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    /// <summary>Starts <c>amlfs serve --port 0</c> on <paramref name="dataDirectory"/> and waits until it listens.</summary>
    public static Task<ServerProcess> StartAsync(string dataDirectory, params string[] extraArgs) =>
        StartCommandAsync("serve", dataDirectory, extraArgs);

    /// <summary>Starts <c>amlfs COMMAND --port 0</c> (<c>serve</c> or <c>up</c>) and waits until it listens.</summary>
    public static async Task<ServerProcess> StartCommandAsync(string command, string dataDirectory, params string[] extraArgs)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "amlfs.dll"));
        string[] defaults = extraArgs.Contains("--log-level") ? [] : ["--log-level", "warning"];
        foreach (var arg in new[] { command, "--port", "0", "--data-dir", dataDirectory }.Concat(defaults).Concat(extraArgs))
            start.ArgumentList.Add(arg);
        var process = new Process { StartInfo = start };
        var server = new ServerProcess(process);
        process.OutputDataReceived += (_, e) => server.Line(e.Data);
        process.ErrorDataReceived += (_, e) => server.Line(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(server._listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(60)));
        if (first != server._listening.Task)
        {
            server.Dispose();
            throw new InvalidOperationException($"amlfs {command} did not start listening:\n" + server.Output);
        }

        server.Address = await server._listening.Task;
        return server;
    }

    /// <summary>Sends SIGKILL: no shutdown code runs, as in a power cut of the process.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal does, and waits for the process to exit; returns its exit code.</summary>
    public async Task<int> InterruptAsync()
    {
        using (var kill = Process.Start("kill", ["-s", "INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            Kill();
        _process.Dispose();
    }

    private void Line(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
        var trimmed = line.Trim();
        if (trimmed.StartsWith("API ", StringComparison.Ordinal))
            _listening.TrySetResult(new Uri(trimmed[4..].Trim()));
    }
}
