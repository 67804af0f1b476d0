using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Amlfs.Cli.LoadTest;

/// <summary>
/// A minimal HTTP/1.1 client over one keep-alive TCP connection, cheap enough to drive tens of thousands of requests a
/// second from a core shared with the server: the caller passes the request pre-encoded, one request is in flight at a
/// time, and the response is read with blocking socket calls into one reused buffer and parsed just enough for framing
/// (status code, <c>Content-Length</c> or <c>Transfer-Encoding: chunked</c>, <c>Connection: close</c>). No allocation
/// per request. A connection that fails or that the server closes is reopened by the next <see cref="Send"/>.
/// Not thread-safe: one per worker thread.
/// </summary>
internal sealed class RawHttpConnection : ILoadConnection, IDisposable
{
    private const int MaxHeadBytes = 64 * 1024;
    private const int MaxLineBytes = 8 * 1024;

    // Bodies are read whole but kept only up to this size: the load test needs the framing, tests and /health the text.
    private const int MaxKeptBody = 1024 * 1024;

    private readonly EndPoint _endPoint;
    private readonly int _timeoutMs;
    private Socket? _socket;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start; // unread received bytes are _buffer[_start.._end)
    private int _end;
    private byte[] _body = new byte[4 * 1024];
    private int _bodyKept;

    public RawHttpConnection(EndPoint endPoint, TimeSpan timeout)
    {
        _endPoint = endPoint;
        _timeoutMs = (int)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue);
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

    public int Send(ReadOnlySpan<byte> request)
    {
        var socket = _socket ?? Connect();
        try
        {
            while (!request.IsEmpty)
                request = request[socket.Send(request)..];
            return ReadResponse(socket);
        }
        catch (SocketException e)
        {
            Close();
            throw e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock
                ? new RawHttpException(RawHttpException.TimeoutKind, $"no answer within {_timeoutMs} ms", e)
                : new RawHttpException(RawHttpException.ConnectionKind, e.Message, e);
        }
        catch (Exception e) when (e is RawHttpException or ObjectDisposedException or IOException)
        {
            Close();
            throw e as RawHttpException ?? new RawHttpException(RawHttpException.ConnectionKind, e.Message, e);
        }
    }

    public void Dispose() => Close();

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
            // costs more per request.
            socket.Connect(_endPoint);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new RawHttpException(RawHttpException.ConnectKind, $"cannot connect to {_endPoint}: {e.Message}", e);
        }

        Connects++;
        _start = _end = 0;
        return _socket = socket;
    }

    private void Close()
    {
        _socket?.Dispose();
        _socket = null;
        _start = _end = 0;
    }

    private int ReadResponse(Socket socket)
    {
        while (true)
        {
            var head = ReadHead(socket, out var status, out var length, out var chunked, out var close);
            _start += head;
            if (status is >= 100 and < 200)
                continue; // an interim answer (100 Continue): the real one follows
            _bodyKept = 0;
            BodyLength = 0;
            if (chunked)
                ReadChunked(socket);
            else if (length >= 0)
                ReadBody(socket, length);
            else if (status is not (204 or 304))
            {
                ReadToClose(socket);
                close = true;
            }

            Closed = close;
            if (close)
                Close();
            return status;
        }
    }

    /// <summary>Parses the status line and the headers the framing needs; returns the head's length in bytes.</summary>
    private int ReadHead(Socket socket, out int status, out long length, out bool chunked, out bool close)
    {
        int headEnd;
        while ((headEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (_end - _start >= MaxHeadBytes)
                throw new RawHttpException(RawHttpException.ProtocolKind, "response head longer than 64 KiB");
            Fill(socket);
        }

        var head = _buffer.AsSpan(_start, headEnd + 2); // every line with its CRLF
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

        return headEnd + 4;
    }

    private void ReadBody(Socket socket, long length)
    {
        while (length > 0)
        {
            if (_start == _end)
                Fill(socket);
            var take = (int)Math.Min(length, _end - _start);
            Keep(_buffer.AsSpan(_start, take));
            _start += take;
            length -= take;
        }
    }

    private void ReadChunked(Socket socket)
    {
        while (true)
        {
            var line = ReadLine(socket);
            var extension = line.IndexOf((byte)';');
            var sizeText = (extension >= 0 ? line[..extension] : line).Trim((byte)' ');
            if (!Utf8Parser.TryParse(sizeText, out ulong size, out var used, 'X') || used != sizeText.Length || size > int.MaxValue)
                throw new RawHttpException(RawHttpException.ProtocolKind, "malformed chunk size");
            if (size == 0)
                break;
            ReadBody(socket, (long)size);
            if (!ReadLine(socket).IsEmpty)
                throw new RawHttpException(RawHttpException.ProtocolKind, "chunk not followed by CRLF");
        }

        while (!ReadLine(socket).IsEmpty)
        {
            // trailer fields, ignored
        }
    }

    private void ReadToClose(Socket socket)
    {
        while (true)
        {
            if (_start == _end && !TryFill(socket))
                return;
            Keep(_buffer.AsSpan(_start, _end - _start));
            _start = _end;
        }
    }

    /// <summary>The next line without its CRLF; valid until the next read.</summary>
    private ReadOnlySpan<byte> ReadLine(Socket socket)
    {
        int end;
        while ((end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
        {
            if (_end - _start >= MaxLineBytes)
                throw new RawHttpException(RawHttpException.ProtocolKind, "line longer than 8 KiB in a chunked body");
            Fill(socket);
        }

        var line = _buffer.AsSpan(_start, end);
        _start += end + 2;
        return line;
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

    private void Fill(Socket socket)
    {
        if (!TryFill(socket))
            throw new RawHttpException(RawHttpException.ConnectionKind, "the server closed the connection before the response was complete");
    }

    /// <summary>Receives more bytes after the unread ones; false when the server closed the connection.</summary>
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
            else
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
        }

        var received = socket.Receive(_buffer.AsSpan(_end));
        _end += received;
        return received > 0;
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
