using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Garnet;

namespace Amlfs.Cli.Distributed;

/// <summary>
/// A Redis-protocol server in this process (Microsoft Garnet) on a loopback port, standing in for Redis in
/// <c>up --distributed</c> and <c>bench worker</c>: in memory only, no password, Lua scripting on, gone when the process
/// ends.
/// </summary>
internal sealed class EmbeddedRedisServer : IDisposable
{
    private readonly GarnetServer _server;

    public EmbeddedRedisServer(int port = 0)
    {
        Port = port == 0 ? FreePort() : port;
        // -q: no banner on the console the amlfs output shares. The online store's fenced writes are Lua scripts, which
        // Garnet runs only with --lua, and atomically (keys locked) only with --lua-transaction-mode.
        _server = new GarnetServer(["--bind", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture), "-q", "--lua", "--lua-transaction-mode"]);
        _server.Start();
    }

    public string Host => "127.0.0.1";

    public int Port { get; }

    public void Dispose() => _server.Dispose();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
