using System.Buffers.Binary;
using System.Text;

namespace Mindspace.Runtime.Cluster.Transport;

/// <summary>
/// Reads the primitives of a frame payload from a span, throwing <see cref="FrameFormatException"/>
/// (never reading past the end) when the payload is shorter than what it announces.
/// </summary>
internal ref struct WireReader(ReadOnlySpan<byte> payload)
{
    private ReadOnlySpan<byte> _rest = payload;

    /// <summary>The bytes not read yet.</summary>
    public readonly ReadOnlySpan<byte> Rest => _rest;

    /// <summary>How many bytes are left.</summary>
    public readonly int Remaining => _rest.Length;

    public byte ReadByte()
    {
        if (_rest.IsEmpty)
        {
            throw Truncated();
        }

        var value = _rest[0];
        _rest = _rest[1..];
        return value;
    }

    public ushort ReadUInt16()
    {
        if (_rest.Length < 2)
        {
            throw Truncated();
        }

        var value = BinaryPrimitives.ReadUInt16LittleEndian(_rest);
        _rest = _rest[2..];
        return value;
    }

    public long ReadInt64()
    {
        if (_rest.Length < 8)
        {
            throw Truncated();
        }

        var value = BinaryPrimitives.ReadInt64LittleEndian(_rest);
        _rest = _rest[8..];
        return value;
    }

    /// <summary>Reads a 7-bit-encoded unsigned integer of at most five bytes.</summary>
    public uint ReadVarUInt32()
    {
        uint value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = ReadByte();
            if (shift == 28 && b > 0x0F)
            {
                throw new FrameFormatException("A length does not fit in 32 bits.");
            }

            value |= (uint)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new FrameFormatException("A length does not fit in 32 bits.");
    }

    /// <summary>Reads a length that must fit in what is left (so a bogus length cannot make us allocate).</summary>
    public int ReadLength()
    {
        var length = ReadVarUInt32();
        if (length > (uint)_rest.Length)
        {
            throw Truncated();
        }

        return (int)length;
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if ((uint)count > (uint)_rest.Length)
        {
            throw Truncated();
        }

        var value = _rest[..count];
        _rest = _rest[count..];
        return value;
    }

    public string ReadString()
    {
        var bytes = ReadBytes(ReadLength());
        return bytes.IsEmpty ? string.Empty : Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Throws unless every byte was read.</summary>
    public readonly void EnsureEnd()
    {
        if (!_rest.IsEmpty)
        {
            throw new FrameFormatException("A frame has trailing bytes.");
        }
    }

    private static FrameFormatException Truncated() => new("A frame is shorter than its fields.");
}
