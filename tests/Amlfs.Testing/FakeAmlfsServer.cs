using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Amlfs.Engine;
using Amlfs.Server.Contracts;

namespace Amlfs.Testing;

/// <summary>
/// A stand-in for the amlfs server on a free 127.0.0.1 port, for testing its HTTP clients without ASP.NET: a raw
/// HTTP/1.1 keep-alive server, one thread per connection. It records every request and answers with
/// <see cref="Respond"/>, which by default plays the real API: <c>POST /transactions</c> accepts every new
/// transaction id and reports repeated ones as duplicates, <c>POST /predict</c> scores every transaction 0.87 HIGH,
/// <c>GET /health</c> is healthy. The bodies are written with the server's own contracts.
/// </summary>
public sealed class FakeAmlfsServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly Thread _acceptor;
    private readonly ConcurrentQueue<FakeRequest> _requests = new();
    private readonly ConcurrentDictionary<string, byte> _ingested = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<Socket> _sockets = [];
    private long _requestCount;
    private int _connections;
    private volatile bool _stopping;

    public FakeAmlfsServer(Func<FakeRequest, FakeResponse?>? respond = null)
    {
        Respond = respond ?? (_ => null);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(512);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        Url = new Uri($"http://127.0.0.1:{Port}/");
        _acceptor = new Thread(Accept) { IsBackground = true, Name = "fake-amlfs-accept" };
        _acceptor.Start();
    }

    public int Port { get; }

    public Uri Url { get; }

    /// <summary>The answer to a request; null gives the default answer.</summary>
    public Func<FakeRequest, FakeResponse?> Respond { get; set; }

    /// <summary>Whether requests are kept for <see cref="Requests"/>; counting goes on either way.</summary>
    public bool RecordRequests { get; set; } = true;

    /// <summary>The requests received so far, in arrival order (per connection).</summary>
    public IReadOnlyList<FakeRequest> Requests => [.. _requests];

    public long RequestCount => Interlocked.Read(ref _requestCount);

    /// <summary>TCP connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Transaction ids accepted by the default <c>POST /transactions</c>.</summary>
    public IReadOnlyCollection<string> Ingested => [.. _ingested.Keys];

    /// <summary>The default answer, as the real server would give it.</summary>
    public FakeResponse Default(FakeRequest request) => (request.Method, request.Path) switch
    {
        ("GET", "/health") => FakeResponse.Json("""{"status":"healthy"}"""),
        ("POST", "/transactions") => Ingest(request),
        ("POST", "/predict") => Predict(request),
        _ => new FakeResponse(404, """{"title":"Not Found"}"""),
    };

    public void Dispose()
    {
        _stopping = true;
        _listener.Stop();
        foreach (var socket in _sockets)
            socket.Dispose();
        _acceptor.Join();
    }

    private void Accept()
    {
        var id = 0;
        while (!_stopping)
        {
            Socket socket;
            try
            {
                socket = _listener.AcceptSocket();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            socket.NoDelay = true;
            _sockets.Add(socket);
            Interlocked.Increment(ref _connections);
            var connection = ++id;
            new Thread(() => Serve(socket, connection)) { IsBackground = true, Name = "fake-amlfs-connection" }.Start();
        }
    }

    private void Serve(Socket socket, int connection)
    {
        var buffer = new byte[64 * 1024];
        int start = 0, end = 0;
        try
        {
            while (true)
            {
                int headEnd;
                while ((headEnd = buffer.AsSpan(start, end - start).IndexOf("\r\n\r\n"u8)) < 0)
                {
                    if (!Fill(socket, ref buffer, ref start, ref end))
                        return;
                }

                var head = Encoding.ASCII.GetString(buffer, start, headEnd).Split("\r\n");
                start += headEnd + 4;
                var requestLine = head[0].Split(' ');
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var line in head.Skip(1))
                {
                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    if (colon > 0)
                        headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                }

                var length = headers.TryGetValue("Content-Length", out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : 0;
                while (end - start < length)
                {
                    if (!Fill(socket, ref buffer, ref start, ref end))
                        return;
                }

                var request = new FakeRequest(requestLine[0], requestLine[1], headers, buffer.AsSpan(start, length).ToArray(), connection);
                start += length;
                Interlocked.Increment(ref _requestCount);
                if (RecordRequests)
                    _requests.Enqueue(request);

                FakeResponse response;
                try
                {
                    response = Respond(request) ?? Default(request);
                }
                catch (Exception e)
                {
                    // A responder that throws (a test's mistake, a body that is not the JSON expected) answers 500.
                    response = new FakeResponse(500, JsonSerializer.Serialize(new { title = e.Message }));
                }

                socket.Send(Encode(response));
                if (response.Close)
                {
                    socket.Shutdown(SocketShutdown.Both);
                    return;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            socket.Dispose();
        }
    }

    private static bool Fill(Socket socket, ref byte[] buffer, ref int start, ref int end)
    {
        if (start > 0)
        {
            buffer.AsSpan(start, end - start).CopyTo(buffer);
            end -= start;
            start = 0;
        }

        if (end == buffer.Length)
            Array.Resize(ref buffer, buffer.Length * 2);
        var received = socket.Receive(buffer.AsSpan(end));
        end += received;
        return received > 0;
    }

    private static byte[] Encode(FakeResponse response)
    {
        var body = Encoding.UTF8.GetBytes(response.Body);
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {response.Status} {Reason(response.Status)}\r\n")
            .Append("Content-Type: application/json\r\n");
        foreach (var (name, value) in response.Headers)
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        if (response.Close)
            head.Append("Connection: close\r\n");
        using var bytes = new MemoryStream();
        if (response.Chunked)
        {
            head.Append("Transfer-Encoding: chunked\r\n\r\n");
            bytes.Write(Encoding.ASCII.GetBytes(head.ToString()));
            for (var offset = 0; offset < body.Length; offset += response.ChunkSize)
            {
                var size = Math.Min(response.ChunkSize, body.Length - offset);
                bytes.Write(Encoding.ASCII.GetBytes(size.ToString("x", CultureInfo.InvariantCulture) + ";note=x\r\n"));
                bytes.Write(body, offset, size);
                bytes.Write("\r\n"u8);
            }

            bytes.Write("0\r\nX-Trailer: done\r\n\r\n"u8);
        }
        else
        {
            head.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n\r\n");
            bytes.Write(Encoding.ASCII.GetBytes(head.ToString()));
            bytes.Write(body);
        }

        return bytes.ToArray();
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };

    private FakeResponse Ingest(FakeRequest request)
    {
        using var json = JsonDocument.Parse(request.Body);
        var transactions = json.RootElement.ValueKind == JsonValueKind.Array
            ? json.RootElement.EnumerateArray().ToList()
            : [json.RootElement];
        var results = new List<IngestResult>();
        int accepted = 0, duplicates = 0;
        foreach (var transaction in transactions)
        {
            var id = transaction.GetProperty("transaction_id").GetString()!;
            var fresh = _ingested.TryAdd(id, 0);
            if (fresh)
                accepted++;
            else
                duplicates++;
            results.Add(new IngestResult { TransactionId = id, Status = (fresh ? IngestStatus.Accepted : IngestStatus.Duplicate).WireName() });
        }

        return FakeResponse.Json(JsonSerializer.Serialize(
            new IngestResponse { Accepted = accepted, Duplicates = duplicates, Rejected = 0, Results = results },
            AmlfsJsonContext.Default.IngestResponse));
    }

    private static FakeResponse Predict(FakeRequest request)
    {
        var transaction = JsonSerializer.Deserialize(request.Body, AmlfsJsonContext.Default.PredictRequest)!;
        return FakeResponse.Json(JsonSerializer.Serialize(
            new PredictResponse
            {
                TransactionId = transaction.TransactionId!,
                CustomerId = transaction.CustomerId!,
                MerchantId = transaction.MerchantId!,
                Amount = transaction.Amount ?? 0,
                RiskScore = 0.87,
                RiskLevel = RiskLevelNames.High,
                FeaturesUsed = new Dictionary<string, double> { ["txn_count_1h"] = 31.0, ["unique_ips_1h"] = 4.0 },
                Explanation = ["31 transactions in the last hour", "4 IP addresses in the last hour"],
                ProcessingTimeMs = 0.05,
                ModelVersion = "rules-1",
                ScoredAt = transaction.Timestamp ?? DateTimeOffset.UnixEpoch, // the real server says its receive time; the fake has no clock
            },
            AmlfsJsonContext.Default.PredictResponse));
    }
}
