using System.Globalization;
using Garnet;

namespace Amlfs.Testing;

/// <summary>
/// An in-process Garnet server on a fixed loopback port that a test stops and starts again, to see how clients of
/// the online store behave while it is down and once it is back. Each start is an empty server.
/// </summary>
public sealed class RestartableGarnetServer : IDisposable
{
    private readonly string? _password;
    private readonly bool _scripting;
    private GarnetServer? _server;

    /// <summary>
    /// Reserves a free port; the server runs once <see cref="Start"/> is called, asking for the password when given, and
    /// running Lua scripts as the online store needs (<see cref="GarnetServerFixture.Scripting"/>) unless
    /// <paramref name="scripting"/> is false.
    /// </summary>
    public RestartableGarnetServer(string? password = null, bool scripting = true)
    {
        Port = GarnetServerFixture.FreeTcpPort();
        _password = password;
        _scripting = scripting;
    }

    public string Host => "127.0.0.1";

    public int Port { get; }

    public bool IsRunning => _server is not null;

    /// <summary>host:port, as the online store names it in errors.</summary>
    public string Endpoint => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");

    /// <summary>Starts a server on <see cref="Port"/>; returns once it accepts connections.</summary>
    public void Start()
    {
        if (_server is not null)
            throw new InvalidOperationException("the server is already running");
        string[] auth = _password is null ? [] : ["--auth", "Password", "--password", _password];
        IReadOnlyList<string> scripting = _scripting ? GarnetServerFixture.Scripting : [];
        var server = new GarnetServer(["--bind", Host, "--port", Port.ToString(CultureInfo.InvariantCulture), .. auth, .. scripting]);
        try
        {
            server.Start();
        }
        catch
        {
            server.Dispose();
            throw;
        }

        _server = server;
    }

    /// <summary>Stops the server, closing every client connection; the port is free again.</summary>
    public void Stop()
    {
        _server?.Dispose();
        _server = null;
    }

    public void Dispose() => Stop();
}
