using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Garnet;

namespace Amlfs.Testing;

/// <summary>
/// A Garnet server (a RESP server, Redis-compatible) running in this process on a free loopback port, for the Redis
/// online store contract without an external service. One per test class that shares it.
/// </summary>
public sealed class GarnetServerFixture : IDisposable
{
    private readonly GarnetServer _server;

    public GarnetServerFixture()
    {
        Port = FreeTcpPort();
        _server = new GarnetServer(["--bind", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture), .. Scripting]);
        _server.Start();
    }

    /// <summary>
    /// What the Redis online store's fenced writes need from Garnet, as the product's embedded server starts it: Lua
    /// scripts, each run as a transaction (its keys locked), without which Garnet would run a script's commands one by
    /// one and two writers of a key could both pass the position comparison.
    /// </summary>
    public static IReadOnlyList<string> Scripting { get; } = ["--lua", "--lua-transaction-mode"];

    public string Host => "127.0.0.1";

    public int Port { get; }

    /// <summary>A loopback port nothing listens on at the time of the call.</summary>
    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => _server.Dispose();
}
