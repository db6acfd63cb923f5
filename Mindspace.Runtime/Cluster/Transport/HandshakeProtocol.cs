using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Security.Cryptography;

namespace Mindspace.Runtime.Cluster.Transport;

/// <summary>How a server-side handshake ended.</summary>
internal enum HandshakeOutcome
{
    /// <summary>The client proved it knows the secret; requests may flow.</summary>
    Accepted,

    /// <summary>The client was refused (a Reject frame was sent).</summary>
    Rejected,

    /// <summary>The client went away before finishing.</summary>
    Closed,
}

/// <summary>
/// The connection handshake, which proves both sides know the cluster secret without sending it.
/// The server sends a random 32-byte nonce; the client answers with its own nonce and
/// HMAC-SHA256(secret, "mindspace-cluster/client" ‖ version ‖ server nonce ‖ client nonce); the
/// server checks it in constant time and answers Accept carrying
/// HMAC-SHA256(secret, "mindspace-cluster/server" ‖ version ‖ client nonce ‖ server nonce), which
/// the client checks in turn (mutual authentication), or Reject and closes. The labels keep one
/// side's proof from ever being usable as the other's.
/// </summary>
internal static class HandshakeProtocol
{
    /// <summary>The protocol version this build speaks.</summary>
    public const ushort Version = 1;

    public const int NonceSize = 32;

    public const int ProofSize = HMACSHA256.HashSizeInBytes;

    /// <summary>No handshake frame is larger than this.</summary>
    public const int MaxPayloadBytes = 256;

    /// <summary>The first bytes of both hellos: tells a cluster endpoint from anything else.</summary>
    public static ReadOnlySpan<byte> Magic => "MSCT"u8;

    private static ReadOnlySpan<byte> ClientLabel => "mindspace-cluster/client"u8;

    private static ReadOnlySpan<byte> ServerLabel => "mindspace-cluster/server"u8;

    /// <summary>The client's proof for a server nonce and its own nonce.</summary>
    public static void ComputeClientProof(byte[] secret, ushort version, ReadOnlySpan<byte> serverNonce, ReadOnlySpan<byte> clientNonce, Span<byte> proof)
        => Compute(secret, ClientLabel, version, serverNonce, clientNonce, proof);

    /// <summary>The server's proof for the client's nonce and its own nonce.</summary>
    public static void ComputeServerProof(byte[] secret, ushort version, ReadOnlySpan<byte> clientNonce, ReadOnlySpan<byte> serverNonce, Span<byte> proof)
        => Compute(secret, ServerLabel, version, clientNonce, serverNonce, proof);

    /// <summary>Runs the server side: hello, check the client's proof, accept or reject.</summary>
    public static async Task<(HandshakeOutcome Outcome, HandshakeRejection Reason)> AcceptAsync(
        FrameReader reader, PipeWriter output, byte[] secret, CancellationToken cancellationToken)
    {
        var serverNonce = RandomNumberGenerator.GetBytes(NonceSize);
        FrameWriter.WriteServerHello(output, serverNonce);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);

        (FrameKind Kind, byte[] Payload)? frame;
        try
        {
            frame = await reader.ReadSingleAsync(MaxPayloadBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (FrameFormatException)
        {
            return await RejectAsync(output, HandshakeRejection.Malformed, cancellationToken).ConfigureAwait(false);
        }

        if (frame is not { } hello)
        {
            return (HandshakeOutcome.Closed, default);
        }

        if (hello.Kind != FrameKind.ClientHello || hello.Payload.Length != Magic.Length + 2 + NonceSize + ProofSize
            || !hello.Payload.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            return await RejectAsync(output, HandshakeRejection.Malformed, cancellationToken).ConfigureAwait(false);
        }

        var payload = hello.Payload.AsSpan(Magic.Length);
        var version = BinaryPrimitives.ReadUInt16LittleEndian(payload);
        if (version != Version)
        {
            return await RejectAsync(output, HandshakeRejection.UnsupportedVersion, cancellationToken).ConfigureAwait(false);
        }

        var clientNonce = payload.Slice(2, NonceSize);
        var clientProof = payload.Slice(2 + NonceSize, ProofSize);
        Span<byte> expected = stackalloc byte[ProofSize];
        ComputeClientProof(secret, version, serverNonce, clientNonce, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, clientProof))
        {
            return await RejectAsync(output, HandshakeRejection.BadProof, cancellationToken).ConfigureAwait(false);
        }

        Span<byte> serverProof = stackalloc byte[ProofSize];
        ComputeServerProof(secret, version, clientNonce, serverNonce, serverProof);
        FrameWriter.WriteAccept(output, serverProof);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return (HandshakeOutcome.Accepted, default);
    }

    /// <summary>
    /// Runs the client side; returns once the server accepted and proved it knows the secret.
    /// Throws <see cref="HandshakeFailedException"/> otherwise.
    /// </summary>
    public static async Task ConnectAsync(FrameReader reader, PipeWriter output, byte[] secret, CancellationToken cancellationToken)
    {
        var hello = await ReadHandshakeFrameAsync(reader, "before its hello", cancellationToken).ConfigureAwait(false);
        if (hello.Kind != FrameKind.ServerHello || hello.Payload.Length != Magic.Length + 2 + NonceSize
            || !hello.Payload.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new HandshakeFailedException("the endpoint is not a cluster transport endpoint.");
        }

        var serverVersion = BinaryPrimitives.ReadUInt16LittleEndian(hello.Payload.AsSpan(Magic.Length));
        if (serverVersion != Version)
        {
            throw new HandshakeFailedException($"the silo speaks protocol version {serverVersion}, this one {Version}.");
        }

        var serverNonce = hello.Payload.AsSpan(Magic.Length + 2, NonceSize).ToArray();
        var clientNonce = RandomNumberGenerator.GetBytes(NonceSize);
        var clientProof = new byte[ProofSize];
        ComputeClientProof(secret, Version, serverNonce, clientNonce, clientProof);
        FrameWriter.WriteClientHello(output, Version, clientNonce, clientProof);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);

        var answer = await ReadHandshakeFrameAsync(reader, "during the handshake", cancellationToken).ConfigureAwait(false);
        switch (answer.Kind)
        {
            case FrameKind.Reject:
                var reason = answer.Payload.Length == 1 ? (HandshakeRejection)answer.Payload[0] : HandshakeRejection.Malformed;
                throw new HandshakeFailedException(reason switch
                {
                    HandshakeRejection.BadProof => "the silo rejected the handshake: the cluster secrets differ.",
                    HandshakeRejection.UnsupportedVersion => $"the silo rejected the handshake: it does not speak protocol version {Version}.",
                    _ => "the silo rejected the handshake as malformed.",
                });
            case FrameKind.Accept when answer.Payload.Length == ProofSize:
                var expected = new byte[ProofSize];
                ComputeServerProof(secret, Version, clientNonce, serverNonce, expected);
                if (!CryptographicOperations.FixedTimeEquals(expected, answer.Payload))
                {
                    throw new HandshakeFailedException("the silo could not prove it knows the cluster secret.");
                }

                return;
            default:
                throw new HandshakeFailedException("the silo answered the handshake with an unexpected frame.");
        }
    }

    private static async Task<(FrameKind Kind, byte[] Payload)> ReadHandshakeFrameAsync(FrameReader reader, string when, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadSingleAsync(MaxPayloadBytes, cancellationToken).ConfigureAwait(false)
                ?? throw new HandshakeFailedException($"the silo closed the connection {when}.");
        }
        catch (FrameFormatException exception)
        {
            throw new HandshakeFailedException($"the silo sent an invalid handshake frame ({exception.Message})");
        }
    }

    private static async Task<(HandshakeOutcome, HandshakeRejection)> RejectAsync(PipeWriter output, HandshakeRejection reason, CancellationToken cancellationToken)
    {
        FrameWriter.WriteReject(output, reason);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return (HandshakeOutcome.Rejected, reason);
    }

    private static void Compute(byte[] secret, ReadOnlySpan<byte> label, ushort version, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> proof)
    {
        Span<byte> input = stackalloc byte[label.Length + 2 + first.Length + second.Length];
        label.CopyTo(input);
        BinaryPrimitives.WriteUInt16LittleEndian(input[label.Length..], version);
        first.CopyTo(input[(label.Length + 2)..]);
        second.CopyTo(input[(label.Length + 2 + first.Length)..]);
        HMACSHA256.HashData(secret, input, proof);
    }
}
