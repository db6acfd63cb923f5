using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Mindspace.Runtime.Cluster;
using Mindspace.Runtime.Cluster.Transport;

namespace Mindspace.Runtime.Tests.Cluster.Transport;

/// <summary>
/// When a connection dies, the calls still waiting to be written fail as "not sent" (safe to
/// retry) and only those already handed to the socket fail as "lost".
/// </summary>
public sealed class UnsentCallTests
{
    [Fact]
    public async Task Calls_queued_behind_a_stalled_socket_fail_as_not_sent_and_written_ones_as_lost()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var silo = new SiloAddress("stalled", "127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port);
        var serving = StallThenResetAsync(listener);
        await using var pool = new SiloConnectionPool(TransportTests.Options());
        var megabyte = new byte[1024 * 1024];

        // Far more than the kernel's socket buffers hold: the writer blocks and the rest wait in the queue.
        var calls = Enumerable.Range(0, 64)
            .Select(i => pool.SendAsync(silo, TransportTests.Request($"bulk-{i}", megabyte), CancellationToken.None))
            .ToArray();
        await serving.WaitAsync(TransportTests.Patience);

        var failures = new List<Exception>();
        foreach (var call in calls)
        {
            failures.Add(await Assert.ThrowsAnyAsync<SiloUnavailableException>(() => call.WaitAsync(TransportTests.Patience)));
        }

        Assert.All(failures, failure => Assert.True(failure is CallNotSentException or SiloConnectionLostException, failure.GetType().Name));
        Assert.Contains(failures, failure => failure is SiloConnectionLostException);
        Assert.Contains(failures, failure => failure is CallNotSentException);
        Assert.Equal(0, pool.PendingCount(silo));
    }

    /// <summary>
    /// Plays a silo that knows the secret: completes the handshake, waits for the first request
    /// bytes, then stops reading and resets the connection.
    /// </summary>
    private static async Task StallThenResetAsync(TcpListener listener)
    {
        using var socket = await listener.AcceptSocketAsync();
        var secret = Encoding.UTF8.GetBytes(TransportTests.Secret);
        var serverNonce = RandomNumberGenerator.GetBytes(HandshakeProtocol.NonceSize);
        var buffer = new ArrayBufferWriter<byte>();
        FrameWriter.WriteServerHello(buffer, serverNonce);
        await socket.SendAsync(buffer.WrittenMemory);

        var hello = new byte[FrameWriter.HeaderSize + HandshakeProtocol.Magic.Length + 2 + HandshakeProtocol.NonceSize + HandshakeProtocol.ProofSize];
        for (var read = 0; read < hello.Length;)
        {
            read += await socket.ReceiveAsync(hello.AsMemory(read));
        }

        var clientNonce = hello.AsSpan(FrameWriter.HeaderSize + HandshakeProtocol.Magic.Length + 2, HandshakeProtocol.NonceSize);
        var proof = new byte[HandshakeProtocol.ProofSize];
        HandshakeProtocol.ComputeServerProof(secret, HandshakeProtocol.Version, clientNonce, serverNonce, proof);
        buffer.Clear();
        FrameWriter.WriteAccept(buffer, proof);
        await socket.SendAsync(buffer.WrittenMemory);

        var first = new byte[1];
        Assert.Equal(1, await socket.ReceiveAsync(first));
        socket.LingerState = new LingerOption(true, 0); // close with a reset, unread data and all
        socket.Close();
    }
}
