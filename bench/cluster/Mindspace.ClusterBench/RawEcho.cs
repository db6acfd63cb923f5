using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using Microsoft.Extensions.Configuration;
using Mindspace.Silo.Cluster;
using Orleans.Connections.Security;

namespace Mindspace.ClusterBench;

/// <summary>
/// The floor under a remote grain call: the same processes, the same loopback, the same mutual TLS
/// (the cluster certificate, checked by Mindspace's own <see cref="ClusterTlsSettings"/>), and
/// requests multiplexed over a few connections with writes batched as Orleans batches them — but
/// no Orleans: each frame (<c>length, id, payload</c>) is sent straight back.
/// </summary>
internal static class RawEcho
{
    /// <summary>About the size of an Orleans request for <c>PingAsync(int)</c> (headers, ids, one argument).</summary>
    public const int PayloadBytes = 96;

    /// <summary>The cluster certificate and the check every member applies, from the process's configuration.</summary>
    public static (X509Certificate2 Certificate, RemoteCertificateValidator Validate) ClusterTls(IConfiguration configuration)
    {
        var options = new TlsOptions();
        ClusterTlsSettings.From(configuration).Apply(options);
        return (options.LocalCertificate!, options.RemoteCertificateValidation!);
    }

    /// <summary>Serves the echo on <paramref name="port"/> (loopback) until <paramref name="stopping"/> fires.</summary>
    public static async Task ServeAsync(int port, IConfiguration configuration, CancellationToken stopping)
    {
        var (certificate, validate) = ClusterTls(configuration);
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var socket = await listener.AcceptSocketAsync(stopping);
                _ = Task.Run(() => ServeConnectionAsync(socket, certificate, validate, stopping), stopping);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            listener.Stop();
        }
    }

    private static async Task ServeConnectionAsync(Socket socket, X509Certificate2 certificate, RemoteCertificateValidator validate, CancellationToken stopping)
    {
        socket.NoDelay = true;
        await using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    ServerCertificate = certificate,
                    ClientCertificateRequired = true,
                    RemoteCertificateValidationCallback = (_, remote, chain, errors) => remote is not null && validate(X509CertificateLoader.LoadCertificate(remote.GetRawCertData()), chain, errors),
                },
                stopping);
            var writer = new FrameWriter(ssl);
            try
            {
                var header = new byte[8];
                while (await ReadExactlyAsync(ssl, header, stopping))
                {
                    var length = BinaryPrimitives.ReadInt32LittleEndian(header);
                    var frame = new byte[8 + length];
                    header.CopyTo(frame, 0);
                    if (!await ReadExactlyAsync(ssl, frame.AsMemory(8), stopping))
                    {
                        return;
                    }

                    writer.Write(frame);
                }
            }
            finally
            {
                writer.Complete();
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
        {
        }
    }

    private static async Task<bool> ReadExactlyAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer[read..], cancellationToken);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    /// <summary>One writer loop per connection: frames queue up and go out together, one flush per batch.</summary>
    private sealed class FrameWriter
    {
        private readonly Channel<byte[]> _queue = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });

        public FrameWriter(Stream stream) => _ = Task.Run(() => RunAsync(stream));

        public void Write(byte[] frame) => _queue.Writer.TryWrite(frame);

        public void Complete() => _queue.Writer.TryComplete();

        private async Task RunAsync(Stream stream)
        {
            var buffered = new BufferedStream(stream, 64 * 1024);
            try
            {
                while (await _queue.Reader.WaitToReadAsync())
                {
                    while (_queue.Reader.TryRead(out var frame))
                    {
                        await buffered.WriteAsync(frame);
                    }

                    await buffered.FlushAsync();
                }
            }
            catch (Exception exception) when (exception is IOException or ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>The caller's end: a few mutually authenticated connections, requests matched to answers by id.</summary>
    internal sealed class Client : IAsyncDisposable
    {
        private readonly List<(SslStream Stream, FrameWriter Writer)> _connections = [];
        private readonly ConcurrentDictionary<int, TaskCompletionSource> _pending = new();
        private readonly byte[] _payload = new byte[PayloadBytes];
        private int _next;
        private volatile bool _closed;

        public static async Task<Client> ConnectAsync(int port, int connections, IConfiguration configuration)
        {
            var (certificate, validate) = ClusterTls(configuration);
            var client = new Client();
            for (var i = 0; i < connections; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(IPAddress.Loopback, port);
                var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = "mindspace-cluster",
                    ClientCertificates = [certificate],
                    RemoteCertificateValidationCallback = (_, remote, chain, errors) => remote is not null && validate(X509CertificateLoader.LoadCertificate(remote.GetRawCertData()), chain, errors),
                });
                var writer = new FrameWriter(ssl);
                client._connections.Add((ssl, writer));
                _ = Task.Run(() => client.ReadAsync(ssl));
            }

            return client;
        }

        /// <summary>Sends a frame; the task completes when it comes back, and fails once a connection has closed (never hangs).</summary>
        public Task SendAsync()
        {
            if (_closed)
            {
                return Task.FromException(new IOException("raw echo connection closed"));
            }

            var id = Interlocked.Increment(ref _next);
            var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending[id] = answered;
            var frame = new byte[8 + PayloadBytes];
            BinaryPrimitives.WriteInt32LittleEndian(frame, PayloadBytes);
            BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(4), id);
            _payload.CopyTo(frame, 8);
            _connections[(int)((uint)id % (uint)_connections.Count)].Writer.Write(frame);
            if (_closed && _pending.TryRemove(id, out _))
            {
                // The connection closed while this was being sent: nobody will answer it.
                answered.TrySetException(new IOException("raw echo connection closed"));
            }

            return answered.Task;
        }

        private async Task ReadAsync(SslStream stream)
        {
            var header = new byte[8];
            var body = new byte[PayloadBytes];
            try
            {
                while (await ReadExactlyAsync(stream, header, CancellationToken.None))
                {
                    var length = BinaryPrimitives.ReadInt32LittleEndian(header);
                    if (length > body.Length)
                    {
                        body = new byte[length];
                    }

                    if (!await ReadExactlyAsync(stream, body.AsMemory(0, length), CancellationToken.None))
                    {
                        break;
                    }

                    if (_pending.TryRemove(BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4)), out var answered))
                    {
                        answered.TrySetResult();
                    }
                }
            }
            catch (Exception exception) when (exception is IOException or ObjectDisposedException)
            {
            }

            _closed = true;
            foreach (var id in _pending.Keys)
            {
                if (_pending.TryRemove(id, out var pending))
                {
                    pending.TrySetException(new IOException("raw echo connection closed"));
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var (stream, writer) in _connections)
            {
                writer.Complete();
                await stream.DisposeAsync();
            }
        }
    }
}
