using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Amlfs.Cli.LoadTest;

/// <summary>
/// A minimal HTTP/1.1 client over one keep-alive TCP connection, cheap enough to drive tens of thousands of requests a
/// second from a core shared with the server: the caller passes the request pre-encoded, one request is in flight at a
/// time, and the response is received into one reused buffer and parsed just enough for framing (status code,
/// <c>Content-Length</c> or <c>Transfer-Encoding: chunked</c>, <c>Connection: close</c>). No allocation per request.
/// A connection that fails or that the server closes is reopened by the next request.
/// <para>
/// Two ways to use it: <see cref="Send"/> blocks until the answer is in; or, given a <see cref="SocketPoller"/>, the
/// socket is non-blocking and watched by the poller, <see cref="Start"/> sends and <see cref="TryReceive"/> parses what
/// has arrived, so that one thread drives many connections. Not thread-safe: one thread uses it.
/// </para>
/// </summary>
internal sealed class RawHttpConnection : ILoadConnection, IDisposable
{
    private const int MaxHeadBytes = 64 * 1024;
    private const int MaxLineBytes = 8 * 1024;

    // A response is parsed once it is whole in the buffer, so the buffer grows to the largest one; the load test's are
    // a few KiB, and anything this large is not an answer this client is meant for.
    private const int MaxResponseBytes = 64 * 1024 * 1024;

    // Bodies are read whole but kept only up to this size: the load test needs the framing, tests and /health the text.
    private const int MaxKeptBody = 1024 * 1024;

    private readonly EndPoint _endPoint;
    private readonly int _timeoutMs;
    private readonly SocketPoller? _poller;
    private readonly int _index;
    private Socket? _socket;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start; // unread received bytes are _buffer[_start.._end)
    private int _end;
    private bool _endOfStream; // the server closed its side: no byte will follow _end
    private byte[] _body = new byte[4 * 1024];
    private int _bodyKept;

    /// <summary>A blocking connection: <see cref="Send"/> waits for the answer.</summary>
    public RawHttpConnection(EndPoint endPoint, TimeSpan timeout)
        : this(endPoint, timeout, null, 0)
    {
    }

    /// <summary>
    /// With a <paramref name="poller"/>: each socket is made non-blocking and watched by it under
    /// <paramref name="index"/>, which it reports when bytes arrive.
    /// </summary>
    public RawHttpConnection(EndPoint endPoint, TimeSpan timeout, SocketPoller? poller, int index)
    {
        _endPoint = endPoint;
        _timeoutMs = (int)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue / 1000);
        _poller = poller;
        _index = index;
    }

    /// <summary>TCP connections opened so far: one, plus one per reconnection.</summary>
    public int Connects { get; private set; }

    public bool IsConnected => _socket is not null;

    /// <summary>The body of the last response, decoded from its chunks if it was chunked (at most 1 MiB of it).</summary>
    public ReadOnlySpan<byte> Body => _body.AsSpan(0, _bodyKept);

    /// <summary>The full length of the last response's body.</summary>
    public long BodyLength { get; private set; }

    /// <summary>Whether the last response asked to close the connection (it has been closed).</summary>
    public bool Closed { get; private set; }

    /// <summary>Sends the complete request bytes and reads the whole response; returns its status code.</summary>
    /// <exception cref="RawHttpException">No response: the connection failed, timed out, or the answer was not HTTP.</exception>
    public int Send(ReadOnlySpan<byte> request)
    {
        if (_poller is not null)
            throw new InvalidOperationException("a polled connection is driven by Start and TryReceive");
        Start(request);
        return TryReceive(out var status) ? status : throw new InvalidOperationException("a blocking receive returned early");
    }

    public void Start(ReadOnlySpan<byte> request)
    {
        var socket = _socket ?? Connect();
        try
        {
            while (!request.IsEmpty)
            {
                var sent = socket.Send(request, SocketFlags.None, out var error);
                if (error == SocketError.WouldBlock)
                {
                    // Only when the send buffer is full, which one small request in flight never fills; so waiting
                    // here (for writability, up to the timeout) costs nothing in practice and keeps the loop simple.
                    if (!socket.Poll(_timeoutMs * 1000, SelectMode.SelectWrite))
                        throw new SocketException((int)SocketError.TimedOut);
                    continue;
                }

                if (error != SocketError.Success)
                    throw new SocketException((int)error);
                request = request[sent..];
            }
        }
        catch (Exception e) when (IsFailure(e))
        {
            throw Failed(e);
        }
    }

    public bool TryReceive(out int status)
    {
        var socket = _socket ?? throw new RawHttpException(RawHttpException.ConnectionKind, "no request was started");
        try
        {
            // Parse what is there first: a blocking read would wait for bytes that never come after a whole answer.
            while (!TryParse(out status))
            {
                if (_endOfStream)
                    throw new RawHttpException(RawHttpException.ConnectionKind, "the server closed the connection before the response was complete");
                if (!TryFill(socket))
                    return false; // polled, and nothing more has arrived yet
            }

            return true;
        }
        catch (Exception e) when (IsFailure(e))
        {
            throw Failed(e);
        }
    }

    public void Abort() => Close();

    public void Dispose() => Close();

    private static bool IsFailure(Exception e) => e is SocketException or RawHttpException or ObjectDisposedException or IOException;

    // A failed connection is closed so that the next request reconnects; the failure is told by its kind.
    private RawHttpException Failed(Exception e)
    {
        Close();
        return e switch
        {
            RawHttpException failure => failure,
            SocketException { SocketErrorCode: SocketError.TimedOut or SocketError.WouldBlock } =>
                new RawHttpException(RawHttpException.TimeoutKind, $"no answer within {_timeoutMs} ms", e),
            _ => new RawHttpException(RawHttpException.ConnectionKind, e.Message, e),
        };
    }

    private Socket Connect()
    {
        var socket = new Socket(_endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true,
            ReceiveTimeout = _timeoutMs,
            SendTimeout = _timeoutMs,
        };
        try
        {
            // Synchronous on purpose: after any asynchronous call .NET emulates blocking calls on the socket, which
            // costs more per request. A polled connection is non-blocking only once connected (loopback connects at once).
            socket.Connect(_endPoint);
            if (_poller is not null)
            {
                socket.Blocking = false;
                _poller.Add(_index, socket);
            }
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new RawHttpException(RawHttpException.ConnectKind, $"cannot connect to {_endPoint}: {e.Message}", e);
        }

        Connects++;
        _start = _end = 0;
        _endOfStream = false;
        return _socket = socket;
    }

    private void Close()
    {
        if (_socket is not null)
        {
            _poller?.Remove(_socket);
            _socket.Dispose();
            _socket = null;
        }

        _start = _end = 0;
        _endOfStream = false;
    }

    /// <summary>
    /// Parses one whole response from the unread bytes and consumes it; false, consuming nothing, when its end has not
    /// arrived yet. Parsing again from the start when more bytes come is cheap: answers almost always come whole.
    /// </summary>
    private bool TryParse(out int status)
    {
        var data = _buffer.AsSpan(_start, _end - _start);
        var offset = 0;
        while (true)
        {
            var headEnd = data[offset..].IndexOf("\r\n\r\n"u8);
            if (headEnd < 0)
            {
                if (data.Length - offset >= MaxHeadBytes)
                    throw new RawHttpException(RawHttpException.ProtocolKind, "response head longer than 64 KiB");
                status = 0;
                return false;
            }

            ParseHead(data.Slice(offset, headEnd + 2), out status, out var length, out var chunked, out var close);
            offset += headEnd + 4;
            if (status is >= 100 and < 200)
                continue; // an interim answer (100 Continue): the real one follows

            _bodyKept = 0;
            BodyLength = 0;
            if (chunked)
            {
                if (!TryParseChunks(data, ref offset))
                    return false;
            }
            else if (length >= 0)
            {
                if (length > MaxResponseBytes)
                    throw new RawHttpException(RawHttpException.ProtocolKind, "response body longer than 64 MiB");
                if (data.Length - offset < length)
                    return false;
                Keep(data.Slice(offset, (int)length));
                offset += (int)length;
            }
            else if (status is not (204 or 304))
            {
                // The body runs to the end of the connection.
                if (!_endOfStream)
                    return false;
                Keep(data[offset..]);
                offset = data.Length;
                close = true;
            }

            _start += offset;
            Closed = close;
            if (close)
                Close();
            return true;
        }
    }

    /// <summary>Parses the status line and the headers the framing needs; <paramref name="head"/> ends with a CRLF.</summary>
    private static void ParseHead(ReadOnlySpan<byte> head, out int status, out long length, out bool chunked, out bool close)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        var line = head[..lineEnd];
        // "HTTP/1.1 200 OK": the version, one space, three digits.
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || line[8] != (byte)' '
            || !Utf8Parser.TryParse(line.Slice(9, 3), out status, out var digits) || digits != 3)
            throw new RawHttpException(RawHttpException.ProtocolKind, "response does not start with an HTTP/1.x status line");
        close = line[7] == (byte)'0'; // HTTP/1.0 closes unless it says keep-alive
        length = -1;
        chunked = false;
        head = head[(lineEnd + 2)..];
        while (!head.IsEmpty)
        {
            lineEnd = head.IndexOf("\r\n"u8);
            line = head[..lineEnd];
            head = head[(lineEnd + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
                continue;
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim((byte)' ');
            if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                if (!Utf8Parser.TryParse(value, out length, out var used) || used != value.Length || length < 0)
                    throw new RawHttpException(RawHttpException.ProtocolKind, "malformed Content-Length");
            }
            else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
            {
                chunked = ContainsIgnoreCase(value, "chunked"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
            {
                if (ContainsIgnoreCase(value, "close"u8))
                    close = true;
                else if (ContainsIgnoreCase(value, "keep-alive"u8))
                    close = false;
            }
        }
    }

    /// <summary>A chunked body from <paramref name="offset"/>, moved past its trailers; false when it is not all there.</summary>
    private bool TryParseChunks(ReadOnlySpan<byte> data, ref int offset)
    {
        var at = offset;
        while (true)
        {
            if (!TryLine(data, ref at, out var line))
                return false;
            var extension = line.IndexOf((byte)';');
            var sizeText = (extension >= 0 ? line[..extension] : line).Trim((byte)' ');
            if (!Utf8Parser.TryParse(sizeText, out ulong size, out var used, 'X') || used != sizeText.Length || size > MaxResponseBytes)
                throw new RawHttpException(RawHttpException.ProtocolKind, "malformed chunk size");
            if (size == 0)
                break;
            if (data.Length - at < (int)size + 2)
                return false;
            Keep(data.Slice(at, (int)size));
            at += (int)size;
            if (!data[at..].StartsWith("\r\n"u8))
                throw new RawHttpException(RawHttpException.ProtocolKind, "chunk not followed by CRLF");
            at += 2;
        }

        while (true)
        {
            if (!TryLine(data, ref at, out var trailer))
                return false;
            if (trailer.IsEmpty)
                break; // trailer fields before it are ignored
        }

        offset = at;
        return true;
    }

    /// <summary>The line at <paramref name="at"/> without its CRLF, moving past it; false when its end has not arrived.</summary>
    private static bool TryLine(ReadOnlySpan<byte> data, ref int at, out ReadOnlySpan<byte> line)
    {
        var end = data[at..].IndexOf("\r\n"u8);
        if (end < 0)
        {
            if (data.Length - at >= MaxLineBytes)
                throw new RawHttpException(RawHttpException.ProtocolKind, "line longer than 8 KiB in a chunked body");
            line = default;
            return false;
        }

        line = data.Slice(at, end);
        at += end + 2;
        return true;
    }

    private void Keep(ReadOnlySpan<byte> bytes)
    {
        BodyLength += bytes.Length;
        var room = MaxKeptBody - _bodyKept;
        if (room <= 0)
            return;
        bytes = bytes[..Math.Min(bytes.Length, room)];
        if (_bodyKept + bytes.Length > _body.Length)
            Array.Resize(ref _body, Math.Min(MaxKeptBody, Math.Max(_body.Length * 2, _bodyKept + bytes.Length)));
        bytes.CopyTo(_body.AsSpan(_bodyKept));
        _bodyKept += bytes.Length;
    }

    /// <summary>
    /// Receives more bytes after the unread ones (marking the end of the stream when the server closed it); false when
    /// the socket is non-blocking and has nothing yet. A blocking socket waits up to the timeout.
    /// </summary>
    private bool TryFill(Socket socket)
    {
        if (_start == _end)
            _start = _end = 0;
        if (_end == _buffer.Length)
        {
            if (_start > 0)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }
            else if (_buffer.Length >= MaxResponseBytes + MaxHeadBytes)
            {
                throw new RawHttpException(RawHttpException.ProtocolKind, "response longer than 64 MiB");
            }
            else
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
        }

        var received = socket.Receive(_buffer.AsSpan(_end), SocketFlags.None, out var error);
        if (error == SocketError.WouldBlock && !socket.Blocking)
            return false;
        if (error != SocketError.Success)
            throw new SocketException((int)error); // WouldBlock on a blocking socket: the receive timeout passed
        _end += received;
        _endOfStream = received == 0;
        return true;
    }

    private static bool ContainsIgnoreCase(ReadOnlySpan<byte> value, ReadOnlySpan<byte> word)
    {
        for (var i = 0; i + word.Length <= value.Length; i++)
        {
            if (Ascii.EqualsIgnoreCase(value.Slice(i, word.Length), word))
                return true;
        }

        return false;
    }
}
