namespace Mindspace.Runtime.Cluster.Transport;

/// <summary>A peer sent bytes that are not a valid frame (or a frame too large): the connection is closed.</summary>
internal sealed class FrameFormatException(string message) : Exception(message);

/// <summary>The client side of the handshake failed; the message says why (never with the secret).</summary>
internal sealed class HandshakeFailedException(string message) : Exception(message);
