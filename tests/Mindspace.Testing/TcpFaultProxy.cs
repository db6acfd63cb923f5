using System.Net;
using System.Net.Sockets;

namespace Mindspace.Testing;

/// <summary>
/// A TCP forwarder on a loopback port that a test can cut like a network partition:
/// <see cref="Blackhole"/> stops moving bytes both ways and keeps every socket open (nothing is
/// reset, so neither side learns the link is gone until its own timeouts fire), and new connections
/// are accepted but never forwarded. <see cref="Restore"/> lets traffic flow again on new connections.
/// </summary>
public sealed class TcpFaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private readonly Task _acceptLoop;
    private volatile TaskCompletionSource _flowing = NewOpenGate();

    public TcpFaultProxy(string targetHost, int targetPort)
    {
        _target = new IPEndPoint(IPAddress.Parse(targetHost), targetPort);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public bool IsBlackholed => !_flowing.Task.IsCompleted;

    /// <summary>From now on no byte passes, in either direction, on any connection.</summary>
    public void Blackhole() => Interlocked.CompareExchange(ref _flowing, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), _flowing);

    /// <summary>Traffic flows again.</summary>
    public void Restore() => _flowing.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Restore();
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }
        }

        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private static TaskCompletionSource NewOpenGate()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ConnectAsync(client);
        }
    }

    private async Task ConnectAsync(Socket client)
    {
        Track(client);
        try
        {
            await _flowing.Task.WaitAsync(_stop.Token);
            var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
            Track(server);
            await server.ConnectAsync(_target, _stop.Token);
            _ = PumpAsync(client, server);
            _ = PumpAsync(server, client);
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            client.Dispose();
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);

                // While blackholed, hold everything, even a close: the other side learns nothing.
                await _flowing.Task.WaitAsync(_stop.Token);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            from.Dispose();
            to.Dispose();
        }
    }

    private void Track(Socket socket)
    {
        lock (_sockets)
        {
            _sockets.Add(socket);
        }
    }
}
