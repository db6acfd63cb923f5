using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Mindspace.Gateway.Tests.Notifications;

/// <summary>
/// A minimal SignalR client (JSON hub protocol over a WebSocket, no negotiate) — the .NET client
/// is not in our feed. Messages are JSON records terminated by 0x1E; type 1 is an invocation,
/// 6 a ping, 7 a close.
/// </summary>
public sealed class SignalRTestClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';

    private readonly ClientWebSocket _socket;
    private readonly Channel<(string Target, JsonElement[] Arguments)> _invocations = Channel.CreateUnbounded<(string, JsonElement[])>();
    private readonly CancellationTokenSource _stop = new();
    private Task _receiving = Task.CompletedTask;
    private Task _pinging = Task.CompletedTask;

    private SignalRTestClient(ClientWebSocket socket) => _socket = socket;

    /// <summary>Why the server closed the connection (a type 7 message's error), if it did.</summary>
    public string? CloseError { get; private set; }

    /// <summary>Connects and completes the handshake.</summary>
    public static async Task<SignalRTestClient> ConnectAsync(Uri httpBaseAddress, string path, string? accessToken, IReadOnlyDictionary<string, string>? query = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var parameters = new Dictionary<string, string>(query ?? new Dictionary<string, string>());
        if (accessToken is not null)
        {
            parameters["access_token"] = accessToken;
        }

        var builder = new UriBuilder(new Uri(httpBaseAddress, path))
        {
            Scheme = httpBaseAddress.Scheme == "https" ? "wss" : "ws",
            Query = string.Join("&", parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}")),
        };

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await socket.ConnectAsync(builder.Uri, timeout.Token);
        }
        catch (WebSocketException exception)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            throw new SignalRConnectionRefusedException(status, exception);
        }

        var client = new SignalRTestClient(socket);
        await client.SendRawAsync("{\"protocol\":\"json\",\"version\":1}" + RecordSeparator);
        var handshake = await client.ReceiveRecordAsync(CancellationToken.None);
        var response = JsonDocument.Parse(handshake).RootElement;
        if (response.TryGetProperty("error", out var error))
        {
            await client.DisposeAsync();
            throw new InvalidOperationException($"Handshake refused: {error.GetString()}");
        }

        client._receiving = Task.Run(client.ReceiveLoopAsync);
        client._pinging = Task.Run(client.PingLoopAsync);
        return client;
    }

    /// <summary>The next invocation of <paramref name="target"/> (others are skipped), within <paramref name="timeout"/>.</summary>
    public async Task<JsonElement[]> NextInvocationAsync(string target, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            try
            {
                var (name, arguments) = await _invocations.Reader.ReadAsync(cancel.Token);
                if (name == target)
                {
                    return arguments;
                }
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No '{target}' invocation within {timeout}.");
            }
            catch (ChannelClosedException)
            {
                throw new InvalidOperationException($"The connection closed before a '{target}' invocation arrived{(CloseError is null ? "" : ": " + CloseError)}.");
            }
        }
    }

    /// <summary>Whether an invocation of <paramref name="target"/> arrives within <paramref name="wait"/>.</summary>
    public async Task<bool> ReceivesWithinAsync(string target, TimeSpan wait)
    {
        try
        {
            await NextInvocationAsync(target, wait);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
            {
            }
        }

        try
        {
            await Task.WhenAll(_receiving, _pinging);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
        }

        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var message = JsonDocument.Parse(await ReceiveRecordAsync(_stop.Token)).RootElement;
                switch (message.GetProperty("type").GetInt32())
                {
                    case 1:
                        var arguments = message.TryGetProperty("arguments", out var args) ? args.EnumerateArray().Select(a => a.Clone()).ToArray() : [];
                        await _invocations.Writer.WriteAsync((message.GetProperty("target").GetString()!, arguments));
                        break;
                    case 7:
                        CloseError = message.TryGetProperty("error", out var error) ? error.GetString() : null;
                        return;
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or EndOfStreamException)
        {
        }
        finally
        {
            _invocations.Writer.TryComplete();
        }
    }

    private async Task PingLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), _stop.Token);
                await SendRawAsync("{\"type\":6}" + RecordSeparator);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private readonly SemaphoreSlim _sendLock = new(1, 1);

    private async Task SendRawAsync(string text)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private readonly StringBuilder _pending = new();
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private readonly Queue<string> _records = new();

    /// <summary>The next complete record (0x1E-terminated); a frame may carry several, or part of one.</summary>
    private async Task<string> ReceiveRecordAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        while (_records.Count == 0)
        {
            var result = await _socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new EndOfStreamException("The server closed the WebSocket.");
            }

            var chars = new char[_decoder.GetCharCount(buffer, 0, result.Count)];
            _decoder.GetChars(buffer, 0, result.Count, chars, 0);
            _pending.Append(chars);
            var text = _pending.ToString();
            var end = text.LastIndexOf(RecordSeparator);
            if (end >= 0)
            {
                _pending.Clear().Append(text[(end + 1)..]);
                foreach (var record in text[..end].Split(RecordSeparator))
                {
                    _records.Enqueue(record);
                }
            }
        }

        return _records.Dequeue();
    }
}

/// <summary>The server refused the WebSocket upgrade (for example 401 without a valid token).</summary>
public sealed class SignalRConnectionRefusedException(HttpStatusCode status, Exception inner)
    : Exception($"The hub refused the connection with HTTP {(int)status}.", inner)
{
    public HttpStatusCode Status { get; } = status;
}
