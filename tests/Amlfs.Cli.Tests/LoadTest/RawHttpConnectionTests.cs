using System.Net;
using System.Net.Sockets;
using System.Text;
using Amlfs.Cli.LoadTest;
using Amlfs.Cli.Tests.Produce;
using Amlfs.Testing;

namespace Amlfs.Cli.Tests.LoadTest;

public sealed class RawHttpConnectionTests
{
    private static readonly byte[] Health = PredictRequests.Encode("GET", "/health", "127.0.0.1", []);

    [Fact]
    public void A_content_length_response_is_read_whole()
    {
        using var server = new FakeAmlfsServer();
        using var connection = Connect(server);

        var status = connection.Send(Health);

        Assert.Equal(200, status);
        Assert.Equal("""{"status":"healthy"}""", Encoding.UTF8.GetString(connection.Body));
        Assert.Equal(connection.Body.Length, connection.BodyLength);
    }

    [Fact]
    public void A_chunked_response_is_decoded_with_its_extensions_and_trailers()
    {
        var body = """{"title":"a body long enough for several chunks of three bytes"}""";
        using var server = new FakeAmlfsServer(_ => new FakeResponse(503, body) { Chunked = true, ChunkSize = 3 });
        using var connection = Connect(server);

        Assert.Equal(503, connection.Send(Health));
        Assert.Equal(body, Encoding.UTF8.GetString(connection.Body));
        Assert.Equal(503, connection.Send(Health)); // the framing left nothing behind on the connection
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public void Requests_share_one_kept_alive_connection()
    {
        using var server = new FakeAmlfsServer();
        using var connection = Connect(server);

        for (var i = 0; i < 20; i++)
            Assert.Equal(200, connection.Send(Health));

        Assert.Equal(1, connection.Connects);
        Assert.Equal(1, server.Connections);
        Assert.Equal(20, server.RequestCount);
    }

    [Fact]
    public void Connection_close_is_honoured_and_the_next_request_reconnects()
    {
        var first = 1;
        using var server = new FakeAmlfsServer(_ => Interlocked.Exchange(ref first, 0) == 1 ? new FakeResponse(200, "{}") { Close = true } : null);
        using var connection = Connect(server);

        Assert.Equal(200, connection.Send(Health));
        Assert.True(connection.Closed);
        Assert.False(connection.IsConnected);
        Assert.Equal(200, connection.Send(Health));
        Assert.False(connection.Closed);

        Assert.Equal(2, connection.Connects);
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public void A_refused_connection_is_a_connect_failure()
    {
        using var connection = new RawHttpConnection(new IPEndPoint(IPAddress.Loopback, ProduceCommandTests.ClosedPort()), TimeSpan.FromSeconds(5));

        var failure = Assert.Throws<RawHttpException>(() => connection.Send(Health));

        Assert.Equal(RawHttpException.ConnectKind, failure.Kind);
    }

    [Fact]
    public void A_polled_connection_completes_an_answer_that_arrives_in_pieces()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var poller = SocketPoller.Create(StopwatchLoadClock.Instance);
        using var connection = new RawHttpConnection(listener.LocalEndpoint, TimeSpan.FromSeconds(5), poller, 7);
        var response = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n{\"a\":12345}");

        connection.Start(Health);
        using var server = listener.AcceptSocket();
        ReadRequest(server);
        server.Send(response.AsSpan(0, 30)); // the head cut in the middle
        Assert.Equal(7, WaitReady(poller));
        Assert.False(connection.TryReceive(out _));
        server.Send(response.AsSpan(30));
        Assert.Equal(7, WaitReady(poller));

        Assert.True(connection.TryReceive(out var status));
        Assert.Equal(200, status);
        Assert.Equal("""{"a":12345}""", Encoding.UTF8.GetString(connection.Body));
        Assert.Equal(1, connection.Connects);
    }

    [Fact]
    public void A_polled_connection_closed_before_the_whole_answer_is_a_connection_failure()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var poller = SocketPoller.Create(StopwatchLoadClock.Instance);
        using var connection = new RawHttpConnection(listener.LocalEndpoint, TimeSpan.FromSeconds(5), poller, 0);

        connection.Start(Health);
        using (var server = listener.AcceptSocket())
        {
            ReadRequest(server);
            server.Send("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"u8);
        }

        void ReceiveUntilItFails()
        {
            while (true)
            {
                WaitReady(poller);
                connection.TryReceive(out _);
            }
        }

        var failure = Assert.Throws<RawHttpException>(ReceiveUntilItFails);
        Assert.Equal(RawHttpException.ConnectionKind, failure.Kind);
        Assert.False(connection.IsConnected);
    }

    private static void ReadRequest(Socket server)
    {
        var buffer = new byte[Health.Length];
        for (var read = 0; read < buffer.Length;)
            read += server.Receive(buffer.AsSpan(read));
    }

    /// <summary>The index of the first connection with bytes to read; waits for it as long as a test may take.</summary>
    private static int WaitReady(SocketPoller poller)
    {
        Span<int> ready = stackalloc int[4];
        var clock = StopwatchLoadClock.Instance;
        var count = poller.Wait(clock.GetTimestamp() + clock.Ticks(TimeSpan.FromSeconds(30)), ready);
        Assert.True(count > 0, "no bytes arrived");
        return ready[0];
    }

    private static RawHttpConnection Connect(FakeAmlfsServer server) =>
        new(new IPEndPoint(IPAddress.Loopback, server.Port), TimeSpan.FromSeconds(5));
}
