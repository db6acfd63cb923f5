using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Mindspace.Runtime.Cluster.Transport;

namespace Mindspace.Runtime.Tests.Cluster.Transport;

/// <summary>
/// A hand-driven client over a plain socket, for sending what the real client never would
/// (garbage, oversized frames, stale requests) and watching how the server reacts.
/// </summary>
internal sealed class RawClusterClient : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;

    private RawClusterClient(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<RawClusterClient> ConnectAsync(int port)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync("127.0.0.1", port);
        return new RawClusterClient(client);
    }

    /// <summary>Reads the server hello and completes the handshake with <paramref name="secret"/>; returns the answer frame's kind.</summary>
    public async Task<FrameKind?> HandshakeAsync(string secret = TransportTests.Secret)
    {
        var hello = await ReadFrameAsync() ?? throw new InvalidOperationException("No server hello.");
        Assert.Equal(FrameKind.ServerHello, hello.Kind);
        var serverNonce = hello.Payload.AsSpan(HandshakeProtocol.Magic.Length + 2).ToArray();
        var clientNonce = RandomNumberGenerator.GetBytes(HandshakeProtocol.NonceSize);
        var proof = new byte[HandshakeProtocol.ProofSize];
        HandshakeProtocol.ComputeClientProof(Encoding.UTF8.GetBytes(secret), HandshakeProtocol.Version, serverNonce, clientNonce, proof);
        var buffer = new ArrayBufferWriter<byte>();
        FrameWriter.WriteClientHello(buffer, HandshakeProtocol.Version, clientNonce, proof);
        await SendAsync(buffer.WrittenMemory.ToArray());
        return (await ReadFrameAsync())?.Kind;
    }

    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>A frame header announcing <paramref name="payloadLength"/> bytes, followed by <paramref name="payload"/>.</summary>
    public static byte[] Frame(FrameKind kind, int payloadLength, byte[] payload)
    {
        var frame = new byte[FrameWriter.HeaderSize + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)payloadLength);
        frame[4] = (byte)kind;
        payload.CopyTo(frame, FrameWriter.HeaderSize);
        return frame;
    }

    /// <summary>The next frame, or null once the server closed the connection.</summary>
    public async Task<(FrameKind Kind, byte[] Payload)?> ReadFrameAsync()
    {
        var header = new byte[FrameWriter.HeaderSize];
        if (!await ReadExactlyOrEndAsync(header))
        {
            return null;
        }

        var payload = new byte[BinaryPrimitives.ReadUInt32LittleEndian(header)];
        if (!await ReadExactlyOrEndAsync(payload))
        {
            return null;
        }

        return ((FrameKind)header[4], payload);
    }

    /// <summary>True once the server has closed the connection (every byte until then is discarded).</summary>
    public async Task<bool> ServerClosedAsync()
    {
        var buffer = new byte[4096];
        using var patience = new CancellationTokenSource(TransportTests.Patience);
        try
        {
            while (await _stream.ReadAsync(buffer, patience.Token) > 0)
            {
            }

            return true;
        }
        catch (IOException)
        {
            return true; // reset by the server
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<bool> ReadExactlyOrEndAsync(byte[] buffer)
    {
        try
        {
            await _stream.ReadExactlyAsync(buffer).AsTask().WaitAsync(TransportTests.Patience);
            return true;
        }
        catch (Exception exception) when (exception is EndOfStreamException or IOException)
        {
            return false;
        }
    }
}
