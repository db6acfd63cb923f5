using System.Globalization;

namespace Mindspace.Grains.Interfaces.CheckIns;

/// <summary>
/// Record keys of check-ins: the canonical string of a version 7 <see cref="Guid"/>. Its first 48
/// bits are the Unix time in milliseconds, printed big-endian as the first 12 hex digits
/// ("xxxxxxxx-xxxx-7…"), so keys sort ordinally by creation time and a time bound is a key prefix.
/// </summary>
public static class CheckInKeys
{
    private const long MaxUnixMilliseconds = (1L << 48) - 1;

    public static string Of(Guid id) => id.ToString("D", CultureInfo.InvariantCulture);

    public static Guid NewId(long unixMilliseconds) => Guid.CreateVersion7(DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds));

    /// <summary>The creation time a version 7 id carries.</summary>
    public static long UnixMillisecondsOf(Guid id)
    {
        var key = Of(id);
        return long.Parse(string.Concat(key.AsSpan(0, 8), key.AsSpan(9, 4)), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The smallest key string of any id made at or after <paramref name="unixMilliseconds"/>
    /// (the id's time part), clamped to the range an id can carry.
    /// </summary>
    public static string Bound(long unixMilliseconds)
    {
        var ms = Math.Clamp(unixMilliseconds, 0, MaxUnixMilliseconds);
        return string.Create(CultureInfo.InvariantCulture, $"{ms >> 16:x8}-{ms & 0xFFFF:x4}");
    }

    /// <summary>Lower key bound (inclusive) for records created at or after <paramref name="from"/>.</summary>
    public static string? LowerBound(DateTimeOffset? from) => from is { } value ? Bound(CeilingMilliseconds(value)) : null;

    /// <summary>Upper key bound (exclusive) for records created before <paramref name="to"/>; null when unbounded.</summary>
    public static string? UpperBound(DateTimeOffset? to)
    {
        if (to is not { } value)
        {
            return null;
        }

        var ms = CeilingMilliseconds(value);
        return ms > MaxUnixMilliseconds ? null : Bound(ms);
    }

    /// <summary>
    /// Ids carry whole milliseconds, so a record at millisecond M is at or after <paramref name="instant"/>
    /// exactly when M is at least the instant rounded up to a whole millisecond.
    /// </summary>
    private static long CeilingMilliseconds(DateTimeOffset instant)
        => instant.ToUnixTimeMilliseconds() + (instant.UtcTicks % TimeSpan.TicksPerMillisecond > 0 ? 1 : 0);
}
