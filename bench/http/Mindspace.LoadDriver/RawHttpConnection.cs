using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mindspace.LoadDriver;

/// <summary>
/// One keep-alive HTTP/1.1 connection that sends a request already encoded as bytes and reads the
/// response's status, skipping its body (Content-Length or chunked). It does no more than a load
/// generator needs: no redirects, no decompression, no header objects. It exists because the driver
/// shares two cores with the server it measures, and <see cref="HttpClient"/> spent 85–135 µs of CPU
/// per request here (wrk spends a fraction of that), which the server then did not have.
/// </summary>
public sealed class RawHttpConnection : IDisposable
{
    private static ReadOnlySpan<byte> HeaderEnd => "\r\n\r\n"u8;

    private static ReadOnlySpan<byte> LineEnd => "\r\n"u8;

    private readonly EndPoint _endpoint;
    private readonly TimeSpan _timeout;
    private readonly CancellationTokenSource _deadline = new();
    private Socket? _socket;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    public RawHttpConnection(EndPoint endpoint, TimeSpan timeout)
    {
        _endpoint = endpoint;
        _timeout = timeout;
    }

    /// <summary>A buffer the caller may encode its request into before <see cref="ExchangeAsync"/>.</summary>
    public byte[] RequestBuffer { get; } = new byte[4 * 1024];

    /// <summary>
    /// Sends <paramref name="request"/> and returns the response's status code. A failed exchange
    /// throws and leaves the connection closed; the next exchange opens a new one.
    /// </summary>
    public async ValueTask<int> ExchangeAsync(ReadOnlyMemory<byte> request)
    {
        _deadline.CancelAfter(_timeout);
        try
        {
            var socket = _socket ?? await ConnectAsync(_deadline.Token);
            while (!request.IsEmpty)
            {
                var sent = await socket.SendAsync(request, SocketFlags.None, _deadline.Token);
                request = request[sent..];
            }

            return await ReadResponseAsync(socket, _deadline.Token);
        }
        catch
        {
            Close();
            throw;
        }
        finally
        {
            if (!_deadline.TryReset())
            {
                // It fired: the socket was closed above; a fired source cannot be reused.
                Close();
            }
        }
    }

    public void Dispose()
    {
        Close();
        _deadline.Dispose();
    }

    private async ValueTask<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(_endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(_endpoint, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _socket = socket;
        _start = _end = 0;
        return socket;
    }

    private void Close()
    {
        _socket?.Dispose();
        _socket = null;
        _start = _end = 0;
    }

    private async ValueTask<int> ReadResponseAsync(Socket socket, CancellationToken cancellationToken)
    {
        int headerLength;
        while ((headerLength = _buffer.AsSpan(_start, _end - _start).IndexOf(HeaderEnd)) < 0)
        {
            await FillAsync(socket, cancellationToken);
        }

        var head = ResponseHead.Parse(_buffer.AsSpan(_start, headerLength));
        _start += headerLength + HeaderEnd.Length;
        if (head.Chunked)
        {
            await SkipChunkedBodyAsync(socket, cancellationToken);
        }
        else if (head.ContentLength > 0)
        {
            await SkipAsync(socket, head.ContentLength, cancellationToken);
        }
        else if (head.ContentLength < 0 && head.Status is not (204 or 304) && head.Status >= 200)
        {
            throw new IOException($"a {head.Status} response with neither Content-Length nor chunked encoding");
        }

        if (head.ConnectionClose)
        {
            Close();
        }

        return head.Status;
    }

    private async ValueTask SkipChunkedBodyAsync(Socket socket, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (start, length) = await ReadLineAsync(socket, cancellationToken);
            var line = _buffer.AsSpan(start, length);
            var extension = line.IndexOf((byte)';');
            if (!Utf8Parser.TryParse(extension < 0 ? line : line[..extension], out long size, out _, 'X'))
            {
                throw new IOException("malformed chunk size");
            }

            if (size == 0)
            {
                // Trailers, if any, end with an empty line.
                while ((await ReadLineAsync(socket, cancellationToken)).Length > 0)
                {
                }

                return;
            }

            await SkipAsync(socket, size + LineEnd.Length, cancellationToken);
        }
    }

    /// <summary>Consumes one line; returns where it lies in the buffer (without its CRLF), valid until the next read.</summary>
    private async ValueTask<(int Start, int Length)> ReadLineAsync(Socket socket, CancellationToken cancellationToken)
    {
        int length;
        while ((length = _buffer.AsSpan(_start, _end - _start).IndexOf(LineEnd)) < 0)
        {
            await FillAsync(socket, cancellationToken);
        }

        var start = _start;
        _start += length + LineEnd.Length;
        return (start, length);
    }

    private async ValueTask SkipAsync(Socket socket, long count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (_start == _end)
            {
                await FillAsync(socket, cancellationToken);
            }

            var taken = (int)Math.Min(count, _end - _start);
            _start += taken;
            count -= taken;
        }
    }

    /// <summary>Receives more bytes after the unread ones, making room first.</summary>
    private async ValueTask FillAsync(Socket socket, CancellationToken cancellationToken)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            var unread = _end - _start;
            var target = _start > 0 ? _buffer : new byte[_buffer.Length * 2];
            Buffer.BlockCopy(_buffer, _start, target, 0, unread);
            _buffer = target;
            _start = 0;
            _end = unread;
        }

        var received = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken);
        if (received == 0)
        {
            throw new IOException("the server closed the connection");
        }

        _end += received;
    }

    /// <summary>What the driver needs from a response's status line and headers.</summary>
    private readonly record struct ResponseHead(int Status, long ContentLength, bool Chunked, bool ConnectionClose)
    {
        public static ResponseHead Parse(ReadOnlySpan<byte> head)
        {
            // "HTTP/1.1 200 OK"
            if (head.Length < 12 || !head.StartsWith("HTTP/1."u8) || !Utf8Parser.TryParse(head.Slice(9, 3), out int status, out _))
            {
                throw new IOException("malformed status line: " + Encoding.ASCII.GetString(head[..Math.Min(head.Length, 40)]));
            }

            long contentLength = -1;
            var chunked = false;
            var close = false;
            var rest = head;
            while (true)
            {
                var lineEnd = rest.IndexOf(LineEnd);
                if (lineEnd < 0)
                {
                    break;
                }

                rest = rest[(lineEnd + LineEnd.Length)..];
                var line = rest[..(rest.IndexOf(LineEnd) is var next and >= 0 ? next : rest.Length)];
                var colon = line.IndexOf((byte)':');
                if (colon <= 0)
                {
                    continue;
                }

                var name = line[..colon];
                var value = line[(colon + 1)..].Trim((byte)' ');
                if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
                {
                    Utf8Parser.TryParse(value, out contentLength, out _);
                }
                else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
                {
                    chunked = value.IndexOf("chunked"u8) >= 0;
                }
                else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
                {
                    close = Ascii.EqualsIgnoreCase(value, "close"u8);
                }
            }

            return new ResponseHead(status, contentLength, chunked, close);
        }
    }
}
