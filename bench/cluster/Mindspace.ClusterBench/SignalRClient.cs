using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Mindspace.ClusterBench;

/// <summary>
/// A minimal SignalR client: JSON hub protocol version 1 over a WebSocket, no negotiate step (the
/// approach of tests/Mindspace.Gateway.Tests/Notifications/SignalRTestClient.cs; the .NET SignalR
/// client is not in our feed). Records end with 0x1E; type 1 is an invocation, 6 a ping, 7 a close.
/// Every <c>notification</c> invocation's first argument goes to <see cref="OnNotification"/> as it
/// arrives, on the receive loop, with the arrival timestamp taken before parsing.
/// </summary>
internal sealed class SignalRClient : IAsyncDisposable
{
    private const byte RecordSeparator = 0x1E;

    private readonly ClientWebSocket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private Task _receiving = Task.CompletedTask;
    private Task _pinging = Task.CompletedTask;

    private SignalRClient(ClientWebSocket socket) => _socket = socket;

    /// <summary>(arrival timestamp, the notification object) for each pushed notification.</summary>
    public Action<long, JsonElement>? OnNotification { get; set; }

    public long Received;

    public string? CloseReason { get; private set; }

    public static async Task<SignalRClient> ConnectAsync(Uri gateway, string path, string accessToken)
    {
        var socket = new ClientWebSocket();
        var uri = new UriBuilder(new Uri(gateway, path))
        {
            Scheme = gateway.Scheme == "https" ? "wss" : "ws",
            Query = $"access_token={Uri.EscapeDataString(accessToken)}",
        }.Uri;
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await socket.ConnectAsync(uri, timeout.Token);
        }

        var client = new SignalRClient(socket);
        await client.SendAsync("{\"protocol\":\"json\",\"version\":1}\u001e");
        client._receiving = Task.Run(client.ReceiveLoopAsync);
        client._pinging = Task.Run(client.PingLoopAsync);
        return client;
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
        var buffer = new byte[64 * 1024];
        var pending = new ArrayBufferWriter<byte>(64 * 1024);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), _stop.Token);
                var arrived = System.Diagnostics.Stopwatch.GetTimestamp();
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    CloseReason ??= "the server closed the WebSocket";
                    return;
                }

                var data = buffer.AsSpan(0, result.Count);
                while (data.IndexOf(RecordSeparator) is var end and >= 0)
                {
                    if (pending.WrittenCount > 0)
                    {
                        pending.Write(data[..end]);
                        Handle(pending.WrittenSpan, arrived);
                        pending.Clear();
                    }
                    else
                    {
                        Handle(data[..end], arrived);
                    }

                    data = data[(end + 1)..];
                }

                pending.Write(data);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
        }
    }

    private void Handle(ReadOnlySpan<byte> record, long arrived)
    {
        using var document = JsonDocument.Parse(record.ToArray());
        var root = document.RootElement;
        if (!root.TryGetProperty("type", out var type))
        {
            if (root.TryGetProperty("error", out var refused))
            {
                CloseReason = $"handshake refused: {refused.GetString()}";
            }

            return; // the handshake answer "{}"
        }

        switch (type.GetInt32())
        {
            case 1 when root.GetProperty("target").ValueEquals("notification"):
                Interlocked.Increment(ref Received);
                OnNotification?.Invoke(arrived, root.GetProperty("arguments")[0]);
                break;
            case 7:
                CloseReason = root.TryGetProperty("error", out var error) ? error.GetString() : "closed by the server";
                break;
        }
    }

    private async Task PingLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), _stop.Token);
                await SendAsync("{\"type\":6}\u001e");
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private async Task SendAsync(string text)
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
}
