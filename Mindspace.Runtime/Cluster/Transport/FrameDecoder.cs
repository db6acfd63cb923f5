using Mindspace.Runtime.Messaging;

namespace Mindspace.Runtime.Cluster.Transport;

/// <summary>
/// Decodes request and response payloads (layouts in <see cref="FrameWriter"/>). Throws
/// <see cref="FrameFormatException"/> for anything malformed.
/// </summary>
internal static class FrameDecoder
{
    /// <summary>Decodes a request payload.</summary>
    public static GrainRequest ReadRequest(ReadOnlySpan<byte> payload, out long callId)
    {
        var reader = new WireReader(payload);
        callId = reader.ReadInt64();
        var deadlineTicks = reader.ReadInt64();
        if ((ulong)deadlineTicks > (ulong)DateTimeOffset.MaxValue.UtcTicks)
        {
            throw new FrameFormatException("A request's deadline is out of range.");
        }

        var target = new GrainId(reader.ReadString(), reader.ReadString());
        var interfaceName = reader.ReadString();
        var methodKey = reader.ReadString();
        var chainCount = reader.ReadVarUInt32();
        if (chainCount > (uint)reader.Remaining / 2)
        {
            throw new FrameFormatException("A request's call chain is longer than the frame.");
        }

        IReadOnlyList<GrainId> chain;
        if (chainCount == 0)
        {
            chain = [];
        }
        else
        {
            var entries = new GrainId[chainCount];
            for (var i = 0; i < entries.Length; i++)
            {
                entries[i] = new GrainId(reader.ReadString(), reader.ReadString());
            }

            chain = entries;
        }

        var arguments = reader.Rest.ToArray();
        return new GrainRequest(target, interfaceName, methodKey, arguments, new DateTimeOffset(deadlineTicks, TimeSpan.Zero), chain);
    }

    /// <summary>The call id at the start of a response payload.</summary>
    public static long ReadCallId(ReadOnlySpan<byte> payload)
    {
        var reader = new WireReader(payload);
        return reader.ReadInt64();
    }

    /// <summary>Decodes a response payload (including its call id, already read with <see cref="ReadCallId"/>).</summary>
    public static GrainResponse ReadResponse(ReadOnlySpan<byte> payload)
    {
        var reader = new WireReader(payload);
        reader.ReadInt64();
        switch ((ResponseStatus)reader.ReadByte())
        {
            case ResponseStatus.Ok:
                var hasResult = reader.ReadByte();
                if (hasResult == 0)
                {
                    reader.EnsureEnd();
                    return GrainResponse.Completed;
                }

                if (hasResult != 1)
                {
                    throw new FrameFormatException("A response has an invalid result flag.");
                }

                return new GrainResponse(reader.Rest.ToArray(), null);
            case ResponseStatus.Failed:
                var exception = new ExceptionInfo(reader.ReadString(), reader.ReadString());
                reader.EnsureEnd();
                return new GrainResponse(null, exception);
            case ResponseStatus.NotOwner:
                reader.EnsureEnd();
                return GrainResponse.NotOwner;
            default:
                throw new FrameFormatException("A response has an unknown status.");
        }
    }
}
