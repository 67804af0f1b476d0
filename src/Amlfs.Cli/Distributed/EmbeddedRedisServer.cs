using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Garnet;

namespace Amlfs.Cli.Distributed;

/// <summary>
/// A Redis-protocol server in this process (Microsoft Garnet) on a loopback port, standing in for Redis in
/// <c>up --distributed</c>: in memory only, no password, gone when the process ends.
/// </summary>
internal sealed class EmbeddedRedisServer : IDisposable
{
    private readonly GarnetServer _server;

    public EmbeddedRedisServer(int port = 0)
    {
        Port = port == 0 ? FreePort() : port;
        // -q: no banner on the console the amlfs output shares.
        _server = new GarnetServer(["--bind", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture), "-q"]);
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
