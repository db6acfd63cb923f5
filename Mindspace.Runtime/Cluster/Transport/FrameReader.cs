using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace Mindspace.Runtime.Cluster.Transport;

/// <summary>Receives the frames a <see cref="FrameReader"/> cuts out of the byte stream.</summary>
internal interface IFrameSink
{
    /// <summary>
    /// Handles one whole frame. <paramref name="payload"/> is only valid during the call. Throwing
    /// (e.g. <see cref="FrameFormatException"/>) ends the read loop.
    /// </summary>
    void OnFrame(FrameKind kind, ReadOnlySpan<byte> payload);
}

/// <summary>
/// Cuts frames out of a <see cref="PipeReader"/>: every frame already buffered is handed over per
/// read (many frames per wake-up). Small frames are parsed in place; a frame that spans buffer
/// segments is copied into a reused scratch array; a large frame that is not complete yet is
/// gathered into a pooled array as it arrives, so the pipe never holds more than its pause threshold
/// (which would stall a frame larger than that forever).
/// </summary>
internal sealed class FrameReader(PipeReader input, int maxFrameBytes)
{
    /// <summary>Frames larger than this are gathered into their own array instead of waiting in the pipe.</summary>
    private const int GatherThreshold = 64 * 1024;

    private byte[] _scratch = [];
    private byte[]? _gather;
    private int _gatherLength;
    private int _gatherFilled;
    private FrameKind _gatherKind;

    /// <summary>
    /// Waits for data and hands every complete frame in it to <paramref name="sink"/>. Returns false
    /// when the stream ended or the read was cancelled with <see cref="PipeReader.CancelPendingRead"/>.
    /// </summary>
    public async ValueTask<bool> ReadBatchAsync(IFrameSink sink, CancellationToken cancellationToken)
    {
        var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCanceled)
        {
            input.AdvanceTo(result.Buffer.Start);
            return false;
        }

        var buffer = result.Buffer;
        try
        {
            Process(ref buffer, sink);
        }
        finally
        {
            input.AdvanceTo(buffer.Start, result.Buffer.End);
        }

        if (result.IsCompleted)
        {
            if (!buffer.IsEmpty || _gather is not null)
            {
                throw new FrameFormatException("The stream ended in the middle of a frame.");
            }

            return false;
        }

        return true;
    }

    /// <summary>
    /// Reads exactly one frame (used by the handshake), leaving any bytes after it in the pipe.
    /// Returns null when the stream ends first.
    /// </summary>
    public async ValueTask<(FrameKind Kind, byte[] Payload)?> ReadSingleAsync(int maxPayloadBytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (TryReadHeader(buffer, out var length, out var kind))
            {
                if (length > maxPayloadBytes)
                {
                    input.AdvanceTo(buffer.Start);
                    throw new FrameFormatException($"A {kind} frame of {length} bytes exceeds the limit of {maxPayloadBytes}.");
                }

                if (buffer.Length >= FrameWriter.HeaderSize + length)
                {
                    var payload = buffer.Slice(FrameWriter.HeaderSize, length).ToArray();
                    input.AdvanceTo(buffer.GetPosition(FrameWriter.HeaderSize + length));
                    return (kind, payload);
                }
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                return null;
            }
        }
    }

    /// <summary>Gives pooled arrays back; call once the read loop has ended.</summary>
    public void Release()
    {
        if (_gather is { } gather)
        {
            _gather = null;
            ArrayPool<byte>.Shared.Return(gather);
        }

        if (_scratch.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_scratch);
            _scratch = [];
        }
    }

    private static bool TryReadHeader(in ReadOnlySequence<byte> buffer, out long length, out FrameKind kind)
    {
        if (buffer.Length < FrameWriter.HeaderSize)
        {
            length = 0;
            kind = default;
            return false;
        }

        Span<byte> header = stackalloc byte[FrameWriter.HeaderSize];
        buffer.Slice(0, FrameWriter.HeaderSize).CopyTo(header);
        length = BinaryPrimitives.ReadUInt32LittleEndian(header);
        kind = (FrameKind)header[4];
        return true;
    }

    private void Process(ref ReadOnlySequence<byte> buffer, IFrameSink sink)
    {
        if (_gather is not null && !ContinueGathering(ref buffer, sink))
        {
            return;
        }

        while (TryReadHeader(buffer, out var length, out var kind))
        {
            if (length > maxFrameBytes)
            {
                throw new FrameFormatException($"A {kind} frame of {length} bytes exceeds the limit of {maxFrameBytes}.");
            }

            var frameLength = FrameWriter.HeaderSize + length;
            if (buffer.Length >= frameLength)
            {
                var payload = buffer.Slice(FrameWriter.HeaderSize, length);
                if (payload.IsSingleSegment)
                {
                    sink.OnFrame(kind, payload.FirstSpan);
                }
                else if (length <= GatherThreshold)
                {
                    var scratch = Scratch((int)length);
                    payload.CopyTo(scratch);
                    sink.OnFrame(kind, scratch.AsSpan(0, (int)length));
                }
                else
                {
                    var copy = ArrayPool<byte>.Shared.Rent((int)length);
                    try
                    {
                        payload.CopyTo(copy);
                        sink.OnFrame(kind, copy.AsSpan(0, (int)length));
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(copy);
                    }
                }

                buffer = buffer.Slice(frameLength);
                continue;
            }

            if (length > GatherThreshold)
            {
                _gather = ArrayPool<byte>.Shared.Rent((int)length);
                _gatherLength = (int)length;
                _gatherFilled = 0;
                _gatherKind = kind;
                buffer = buffer.Slice(FrameWriter.HeaderSize);
                ContinueGathering(ref buffer, sink);
            }

            return;
        }
    }

    /// <summary>Copies what arrived of the frame being gathered; returns true once it is complete and handled.</summary>
    private bool ContinueGathering(ref ReadOnlySequence<byte> buffer, IFrameSink sink)
    {
        var gather = _gather!;
        var take = (int)Math.Min(buffer.Length, _gatherLength - _gatherFilled);
        buffer.Slice(0, take).CopyTo(gather.AsSpan(_gatherFilled));
        _gatherFilled += take;
        buffer = buffer.Slice(take);
        if (_gatherFilled < _gatherLength)
        {
            return false;
        }

        _gather = null;
        try
        {
            sink.OnFrame(_gatherKind, gather.AsSpan(0, _gatherLength));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(gather);
        }

        return true;
    }

    private byte[] Scratch(int length)
    {
        if (_scratch.Length < length)
        {
            if (_scratch.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_scratch);
            }

            _scratch = ArrayPool<byte>.Shared.Rent(length);
        }

        return _scratch;
    }
}
