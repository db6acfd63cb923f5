using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Mindspace.Runtime.Messaging;

namespace Mindspace.Runtime.Cluster.Transport;

/// <summary>
/// Encodes frames straight into a pipe's buffers (no intermediate arrays). Payload layouts:
/// <list type="bullet">
/// <item><b>Request</b>: call id (int64), deadline (UTC ticks, int64), target type, target key,
/// interface name, method key, call-chain count (7-bit), each chain entry's type and key, then the
/// argument bytes (the rest of the frame).</item>
/// <item><b>Response</b>: call id (int64), status (<see cref="ResponseStatus"/>); then for Ok a
/// has-result byte (0/1) and the result bytes (the rest), for Failed the exception type and message,
/// for NotOwner nothing.</item>
/// <item><b>ServerHello</b>: magic, version (uint16), server nonce. <b>ClientHello</b>: magic,
/// version, client nonce, client proof. <b>Accept</b>: server proof. <b>Reject</b>: reason byte.
/// <b>GoAway</b>: empty.</item>
/// </list>
/// </summary>
internal static class FrameWriter
{
    /// <summary>Length (4 bytes) and kind (1 byte).</summary>
    public const int HeaderSize = 5;

    private const int MaxVarUInt32Size = 5;

    /// <summary>The request's payload size, cheaply over-estimated (for the common "clearly small enough" check).</summary>
    public static long RequestPayloadUpperBound(GrainRequest request)
    {
        long size = 16 + MaxVarUInt32Size + request.Arguments.LongLength;
        size += StringUpperBound(request.Target.Type) + StringUpperBound(request.Target.Key);
        size += StringUpperBound(request.InterfaceName) + StringUpperBound(request.MethodKey);
        var chain = request.CallChain;
        for (var i = 0; i < chain.Count; i++)
        {
            size += StringUpperBound(chain[i].Type) + StringUpperBound(chain[i].Key);
        }

        return size;
    }

    /// <summary>The request's exact payload size.</summary>
    public static long RequestPayloadSize(GrainRequest request) => RequestFixedSize(request) + request.Arguments.LongLength;

    /// <summary>The response's exact payload size.</summary>
    public static long ResponsePayloadSize(GrainResponse response)
    {
        if (response.IsNotOwner)
        {
            return 9;
        }

        if (response.Exception is { } exception)
        {
            return 9 + StringSize(exception.Type) + StringSize(exception.Message);
        }

        return 10 + (response.Result?.LongLength ?? 0);
    }

    /// <summary>Writes one request frame; returns the bytes written. The caller checked its size against the limit.</summary>
    public static int WriteRequest(IBufferWriter<byte> output, long callId, GrainRequest request)
    {
        var fixedSize = RequestFixedSize(request);
        var arguments = request.Arguments;
        var span = output.GetSpan(HeaderSize + fixedSize);
        WriteHeader(span, FrameKind.Request, fixedSize + arguments.Length);
        var at = HeaderSize;
        BinaryPrimitives.WriteInt64LittleEndian(span[at..], callId);
        BinaryPrimitives.WriteInt64LittleEndian(span[(at + 8)..], request.Deadline.UtcTicks);
        at += 16;
        at += WriteString(span[at..], request.Target.Type);
        at += WriteString(span[at..], request.Target.Key);
        at += WriteString(span[at..], request.InterfaceName);
        at += WriteString(span[at..], request.MethodKey);
        var chain = request.CallChain;
        at += WriteVarUInt32(span[at..], (uint)chain.Count);
        for (var i = 0; i < chain.Count; i++)
        {
            at += WriteString(span[at..], chain[i].Type);
            at += WriteString(span[at..], chain[i].Key);
        }

        output.Advance(at);
        if (arguments.Length > 0)
        {
            output.Write(arguments);
        }

        return at + arguments.Length;
    }

    /// <summary>Writes one response frame; returns the bytes written. The caller checked its size against the limit.</summary>
    public static int WriteResponse(IBufferWriter<byte> output, long callId, GrainResponse response)
    {
        if (response.IsNotOwner)
        {
            var span = output.GetSpan(HeaderSize + 9);
            WriteHeader(span, FrameKind.Response, 9);
            BinaryPrimitives.WriteInt64LittleEndian(span[HeaderSize..], callId);
            span[HeaderSize + 8] = (byte)ResponseStatus.NotOwner;
            output.Advance(HeaderSize + 9);
            return HeaderSize + 9;
        }

        if (response.Exception is { } exception)
        {
            var size = 9 + StringSize(exception.Type) + StringSize(exception.Message);
            var span = output.GetSpan(HeaderSize + size);
            WriteHeader(span, FrameKind.Response, size);
            BinaryPrimitives.WriteInt64LittleEndian(span[HeaderSize..], callId);
            span[HeaderSize + 8] = (byte)ResponseStatus.Failed;
            var at = HeaderSize + 9;
            at += WriteString(span[at..], exception.Type);
            at += WriteString(span[at..], exception.Message);
            output.Advance(at);
            return at;
        }

        var result = response.Result;
        var resultLength = result?.Length ?? 0;
        var head = output.GetSpan(HeaderSize + 10);
        WriteHeader(head, FrameKind.Response, 10 + resultLength);
        BinaryPrimitives.WriteInt64LittleEndian(head[HeaderSize..], callId);
        head[HeaderSize + 8] = (byte)ResponseStatus.Ok;
        head[HeaderSize + 9] = result is null ? (byte)0 : (byte)1;
        output.Advance(HeaderSize + 10);
        if (resultLength > 0)
        {
            output.Write(result);
        }

        return HeaderSize + 10 + resultLength;
    }

    /// <summary>Server hello: magic, version, server nonce.</summary>
    public static void WriteServerHello(IBufferWriter<byte> output, ReadOnlySpan<byte> serverNonce)
    {
        var size = HandshakeProtocol.Magic.Length + 2 + serverNonce.Length;
        var span = output.GetSpan(HeaderSize + size);
        WriteHeader(span, FrameKind.ServerHello, size);
        var at = HeaderSize;
        HandshakeProtocol.Magic.CopyTo(span[at..]);
        at += HandshakeProtocol.Magic.Length;
        BinaryPrimitives.WriteUInt16LittleEndian(span[at..], HandshakeProtocol.Version);
        at += 2;
        serverNonce.CopyTo(span[at..]);
        output.Advance(HeaderSize + size);
    }

    /// <summary>Client hello: magic, version, client nonce, client proof.</summary>
    public static void WriteClientHello(IBufferWriter<byte> output, ushort version, ReadOnlySpan<byte> clientNonce, ReadOnlySpan<byte> clientProof)
    {
        var size = HandshakeProtocol.Magic.Length + 2 + clientNonce.Length + clientProof.Length;
        var span = output.GetSpan(HeaderSize + size);
        WriteHeader(span, FrameKind.ClientHello, size);
        var at = HeaderSize;
        HandshakeProtocol.Magic.CopyTo(span[at..]);
        at += HandshakeProtocol.Magic.Length;
        BinaryPrimitives.WriteUInt16LittleEndian(span[at..], version);
        at += 2;
        clientNonce.CopyTo(span[at..]);
        at += clientNonce.Length;
        clientProof.CopyTo(span[at..]);
        output.Advance(HeaderSize + size);
    }

    /// <summary>Accept: the server's proof.</summary>
    public static void WriteAccept(IBufferWriter<byte> output, ReadOnlySpan<byte> serverProof)
    {
        var span = output.GetSpan(HeaderSize + serverProof.Length);
        WriteHeader(span, FrameKind.Accept, serverProof.Length);
        serverProof.CopyTo(span[HeaderSize..]);
        output.Advance(HeaderSize + serverProof.Length);
    }

    /// <summary>Reject: one reason byte.</summary>
    public static void WriteReject(IBufferWriter<byte> output, HandshakeRejection reason)
    {
        var span = output.GetSpan(HeaderSize + 1);
        WriteHeader(span, FrameKind.Reject, 1);
        span[HeaderSize] = (byte)reason;
        output.Advance(HeaderSize + 1);
    }

    /// <summary>GoAway: no payload.</summary>
    public static void WriteGoAway(IBufferWriter<byte> output)
    {
        var span = output.GetSpan(HeaderSize);
        WriteHeader(span, FrameKind.GoAway, 0);
        output.Advance(HeaderSize);
    }

    /// <summary>Writes the 5-byte frame header.</summary>
    public static void WriteHeader(Span<byte> destination, FrameKind kind, int payloadLength)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)payloadLength);
        destination[4] = (byte)kind;
    }

    /// <summary>Writes <paramref name="value"/> 7 bits per byte, low bits first; returns the bytes written.</summary>
    public static int WriteVarUInt32(Span<byte> destination, uint value)
    {
        var at = 0;
        while (value >= 0x80)
        {
            destination[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[at++] = (byte)value;
        return at;
    }

    private static int RequestFixedSize(GrainRequest request)
    {
        var size = 16 + StringSize(request.Target.Type) + StringSize(request.Target.Key)
            + StringSize(request.InterfaceName) + StringSize(request.MethodKey);
        var chain = request.CallChain;
        size += VarUInt32Size((uint)chain.Count);
        for (var i = 0; i < chain.Count; i++)
        {
            size += StringSize(chain[i].Type) + StringSize(chain[i].Key);
        }

        return size;
    }

    private static int WriteString(Span<byte> destination, string value)
    {
        var byteCount = Encoding.UTF8.GetByteCount(value);
        var at = WriteVarUInt32(destination, (uint)byteCount);
        return at + Encoding.UTF8.GetBytes(value, destination[at..]);
    }

    private static int StringSize(string value)
    {
        var byteCount = Encoding.UTF8.GetByteCount(value);
        return VarUInt32Size((uint)byteCount) + byteCount;
    }

    private static long StringUpperBound(string value) => MaxVarUInt32Size + (3L * value.Length) + 3;

    private static int VarUInt32Size(uint value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }
}
