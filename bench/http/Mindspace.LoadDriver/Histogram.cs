using System.Numerics;

namespace Mindspace.LoadDriver;

/// <summary>
/// A log-linear histogram of non-negative integers (microseconds here), in the manner of HdrHistogram:
/// values below 2,048 are counted exactly; above, each power-of-two range is split into 1,024 equal
/// buckets, so any reported value is within 0.1% of the true one. Recording is lock-free.
/// </summary>
public sealed class Histogram
{
    private const int SubBucketBits = 11;
    private const int SubBucketCount = 1 << SubBucketBits;
    private const int HalfCount = SubBucketCount / 2;

    private readonly long[] _counts = new long[SubBucketCount + ((64 - SubBucketBits) * HalfCount)];
    private long _total;
    private long _sum;
    private long _max;

    public long Count => Volatile.Read(ref _total);

    public long Max => Volatile.Read(ref _max);

    public double Mean => Count == 0 ? 0 : (double)Volatile.Read(ref _sum) / Count;

    public void Record(long value)
    {
        if (value < 0)
        {
            value = 0;
        }

        Interlocked.Increment(ref _counts[IndexOf(value)]);
        Interlocked.Increment(ref _total);
        Interlocked.Add(ref _sum, value);
        var max = Volatile.Read(ref _max);
        while (value > max)
        {
            var seen = Interlocked.CompareExchange(ref _max, value, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    /// <summary>The smallest recorded value v such that at least <paramref name="percent"/>% of values are ≤ v (reported as its bucket's highest value).</summary>
    public long Percentile(double percent)
    {
        var total = Count;
        if (total == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(percent / 100.0 * total));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Volatile.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return Math.Min(HighestOf(i), Max);
            }
        }

        return Max;
    }

    internal static int IndexOf(long value)
    {
        if (value < SubBucketCount)
        {
            return (int)value;
        }

        var highestBit = 63 - BitOperations.LeadingZeroCount((ulong)value);
        var shift = highestBit - (SubBucketBits - 1);
        var sub = (int)(value >> shift);
        return SubBucketCount + ((shift - 1) * HalfCount) + (sub - HalfCount);
    }

    internal static long HighestOf(int index)
    {
        if (index < SubBucketCount)
        {
            return index;
        }

        var k = index - SubBucketCount;
        var shift = (k / HalfCount) + 1;
        long sub = (k % HalfCount) + HalfCount;
        return (sub << shift) + ((1L << shift) - 1);
    }
}
