using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Amlfs.Security;

namespace Amlfs.Testing;

/// <summary>
/// The built <c>amlfs</c> program running as a separate process (<c>serve</c> on a free port, or a Kafka
/// <c>worker</c>), for tests that must kill a real process. The test project must reference the CLI so that
/// <c>amlfs.dll</c> sits next to the tests.
/// </summary>
public sealed class AmlfsProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(string Text, TaskCompletionSource Seen)> _awaited = [];

    private AmlfsProcess(Process process, string readyPrefix)
    {
        _process = process;
        _readyPrefix = readyPrefix;
    }

    private readonly string _readyPrefix;

    /// <summary>Where a server listens; <c>about:blank</c> for a process that does not.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>
    /// The admin key made for a server started without <c>--auth</c> (which then checks keys, its default), and sent
    /// by <see cref="CreateClient"/>; null when the test chose <c>--auth</c> itself.
    /// </summary>
    public string? ApiKey { get; private set; }

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
    public static Task<AmlfsProcess> StartAsync(string dataDirectory, params string[] extraArgs) =>
        StartCommandAsync("serve", dataDirectory, extraArgs);

    /// <summary>
    /// Starts <c>amlfs COMMAND --port 0</c> (<c>serve</c> or <c>up</c>) and waits until it listens. Without
    /// <c>--auth</c> among <paramref name="extraArgs"/> the server checks keys, as it does by default, and an admin
    /// key is made first in its key file (<see cref="ApiKey"/>); a test of keys themselves gives <c>--auth</c>.
    /// </summary>
    public static async Task<AmlfsProcess> StartCommandAsync(string command, string dataDirectory, params string[] extraArgs)
    {
        string[] defaults = extraArgs.Contains("--log-level") ? [] : ["--log-level", "warning"];
        string? key = null;
        if (!extraArgs.Contains("--auth"))
        {
            var keysFile = Array.IndexOf(extraArgs, "--keys-file") is var at and >= 0 ? extraArgs[at + 1] : ApiKeyStore.FileOf(dataDirectory);
            key = new ApiKeyStore(keysFile).Create("test-" + Guid.NewGuid().ToString("N")[..12], ApiRole.Admin).Key;
        }

        var process = await StartAsync([command, "--port", "0", "--data-dir", dataDirectory, .. defaults, .. extraArgs], "API ");
        process.ApiKey = key;
        return process;
    }

    /// <summary>A client of the server at <see cref="Address"/> that sends <see cref="ApiKey"/>, if there is one.</summary>
    public HttpClient CreateClient()
    {
        var client = new HttpClient { BaseAddress = Address };
        if (ApiKey is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return client;
    }

    /// <summary>Starts <c>amlfs worker</c> with <paramref name="args"/> and waits until it says what it consumes.</summary>
    public static Task<AmlfsProcess> StartWorkerAsync(params string[] args) => StartAsync(["worker", .. args], "worker:");

    /// <summary>Waits until the process has written a line containing <paramref name="text"/> (from its start on).</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        Task seen;
        lock (_output)
        {
            if (_output.ToString().Contains(text, StringComparison.Ordinal))
                return;
            var entry = (text, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            _awaited.Add(entry);
            seen = entry.Item2.Task;
        }

        if (await Task.WhenAny(seen, Task.Delay(timeout)) != seen)
            throw new TimeoutException($"the process did not write '{text}' within {timeout.TotalSeconds} s:\n{Output}");
    }

    private static async Task<AmlfsProcess> StartAsync(IEnumerable<string> args, string readyPrefix)
    {
        // A test run started as a background job of a non-interactive shell (or under nohup) inherits SIGINT ignored,
        // and an ignored SIGINT would be inherited by the child, which then never sees the Ctrl+C the tests send.
        // env(1) resets it to the default disposition, so the child is interruptible however the tests were started.
        var start = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "amlfs.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        var process = new Process { StartInfo = start };
        var server = new AmlfsProcess(process, readyPrefix);
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
            throw new InvalidOperationException($"amlfs {string.Join(' ', args)} did not start:\n" + server.Output);
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

    /// <summary>
    /// Sends SIGINT and waits for a clean stop: exit code 0, or an exception that carries the exit code and everything
    /// the process wrote.
    /// </summary>
    public async Task InterruptCleanlyAsync()
    {
        var exitCode = await InterruptAsync();
        if (exitCode != 0)
            throw new InvalidOperationException($"amlfs exited with {exitCode} after SIGINT, not 0. Its output:{Environment.NewLine}{Output}");
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
        {
            _output.AppendLine(line);
            foreach (var (text, seen) in _awaited)
            {
                if (line.Contains(text, StringComparison.Ordinal))
                    seen.TrySetResult();
            }
        }

        var trimmed = line.Trim();
        if (!trimmed.StartsWith(_readyPrefix, StringComparison.Ordinal))
            return;
        // A server's ready line is "API <address>"; other commands' ready lines carry no address.
        _listening.TrySetResult(_readyPrefix == "API " ? new Uri(trimmed[4..].Trim()) : new Uri("about:blank"));
    }
}
