namespace Mindspace.Runtime.Cluster.Transport;

/// <summary>
/// The kinds of frame of the cluster protocol. Every frame is a 5-byte header — payload length
/// (uint32, little-endian, not counting the header) and kind (one byte) — followed by the payload.
/// Integers are little-endian; strings are a 7-bit-encoded length followed by UTF-8 bytes.
/// </summary>
/// <remarks>
/// A connection starts with the handshake (<see cref="ServerHello"/>, <see cref="ClientHello"/>,
/// then <see cref="Accept"/> or <see cref="Reject"/>); after it, the client sends
/// <see cref="Request"/> frames and the server answers with <see cref="Response"/> frames, in any
/// order, matched by call id. See <see cref="FrameWriter"/> for each payload's layout.
/// </remarks>
internal enum FrameKind : byte
{
    /// <summary>Server → client: magic, protocol version, server nonce.</summary>
    ServerHello = 1,

    /// <summary>Client → server: magic, protocol version, client nonce, client proof.</summary>
    ClientHello = 2,

    /// <summary>Server → client: the handshake succeeded; carries the server proof.</summary>
    Accept = 3,

    /// <summary>Server → client: the handshake failed (reason byte); the server closes the connection.</summary>
    Reject = 4,

    /// <summary>Client → server: one grain call.</summary>
    Request = 16,

    /// <summary>Server → client: the outcome of one call.</summary>
    Response = 17,

    /// <summary>Server → client: the server is shutting down; it reads no more requests on this connection.</summary>
    GoAway = 18,
}

/// <summary>Why a server refused a handshake (payload of a <see cref="FrameKind.Reject"/> frame).</summary>
internal enum HandshakeRejection : byte
{
    /// <summary>The client's proof did not match: it does not know the cluster secret.</summary>
    BadProof = 1,

    /// <summary>The client speaks another protocol version.</summary>
    UnsupportedVersion = 2,

    /// <summary>The client's hello was not a valid frame.</summary>
    Malformed = 3,
}

/// <summary>Outcome codes of a <see cref="FrameKind.Response"/> frame.</summary>
internal enum ResponseStatus : byte
{
    /// <summary>The call completed; an optional result follows.</summary>
    Ok = 0,

    /// <summary>The call failed; exception type and message follow.</summary>
    Failed = 1,

    /// <summary>The silo does not serve the target's partition; the call did not run.</summary>
    NotOwner = 2,
}
