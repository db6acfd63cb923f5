using System.Text;

namespace Mindspace.Runtime;

/// <summary>
/// The identity of a grain: its type name (stable, stored) and its key.
/// Every activation, state row, record, reminder and stream position is addressed by it.
/// </summary>
public readonly record struct GrainId(string Type, string Key)
{
    /// <summary>
    /// A hash of the id that is the same in every process and every run
    /// (unlike <see cref="string.GetHashCode()"/>, which is randomized per process).
    /// Placement and partitioning use it.
    /// </summary>
    public ulong StableHash => StableHashing.Fnv1a64(Type, Key);

    /// <summary>The partition this grain belongs to, out of <paramref name="partitionCount"/>.</summary>
    public int PartitionOf(int partitionCount) => (int)(StableHash % (ulong)partitionCount);

    public override string ToString() => $"{Type}/{Key}";
}

/// <summary>FNV-1a over UTF-8: tiny, fast and stable across processes and platforms.</summary>
public static class StableHashing
{
    private const ulong OffsetBasis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    public static ulong Fnv1a64(params ReadOnlySpan<string> parts)
    {
        var hash = OffsetBasis;
        Span<byte> buffer = stackalloc byte[256];
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0)
            {
                hash = (hash ^ 0x1F) * Prime; // unit separator between parts
            }

            var part = parts[i];
            var bytes = Encoding.UTF8.GetMaxByteCount(part.Length) <= buffer.Length
                ? buffer[..Encoding.UTF8.GetBytes(part, buffer)]
                : Encoding.UTF8.GetBytes(part);
            foreach (var b in bytes)
            {
                hash = (hash ^ b) * Prime;
            }
        }

        return hash;
    }
}
