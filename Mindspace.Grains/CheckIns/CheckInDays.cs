using System.Globalization;
using Mindspace.Grains.Interfaces.CheckIns;
using NodaTime;

namespace Mindspace.Grains.CheckIns;

/// <summary>
/// When a user checked in, compactly: the sorted, distinct UTC quarter hours (since the Unix
/// epoch) that hold at least one entry or mood record.
/// </summary>
/// <remarks>
/// Quarter hours rather than days because the day a check-in belongs to depends on the time zone
/// asked about, and a user may move. Every zone in use today is offset from UTC by a multiple of
/// 15 minutes, so a UTC quarter hour falls entirely within one local day of any zone: streaks can
/// be counted in whatever zone the user has now. The grain stores one small record per quarter
/// hour (keyed by <see cref="KeyOf"/>), so noting a new quarter hour writes one row whatever the
/// user's history, and holds the set in memory while it is active.
/// </remarks>
public static class CheckInDays
{
    public const long QuarterHourMilliseconds = 15 * 60 * 1000;

    /// <summary>Digits of a record key: enough for any quarter hour a check-in id can carry (2^48 ms).</summary>
    private const string KeyFormat = "D10";

    public static int QuarterHourOf(long unixMilliseconds) => (int)(unixMilliseconds / QuarterHourMilliseconds);

    /// <summary>The record key of a quarter hour: zero-padded, so keys sort ordinally as the numbers do.</summary>
    public static string KeyOf(int quarterHour) => quarterHour.ToString(KeyFormat, CultureInfo.InvariantCulture);

    /// <summary>The quarter hour a key made by <see cref="KeyOf"/> names.</summary>
    public static int QuarterHourOfKey(string key) => int.Parse(key, NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>Adds a quarter hour to the sorted set; false when it was there already.</summary>
    public static bool Add(List<int> quarterHours, int quarterHour)
    {
        var index = quarterHours.BinarySearch(quarterHour);
        if (index >= 0)
        {
            return false;
        }

        quarterHours.Insert(~index, quarterHour);
        return true;
    }

    public static bool Remove(List<int> quarterHours, int quarterHour)
    {
        var index = quarterHours.BinarySearch(quarterHour);
        if (index < 0)
        {
            return false;
        }

        quarterHours.RemoveAt(index);
        return true;
    }

    /// <summary>Streaks of consecutive local days of <paramref name="zone"/>, judged on <paramref name="now"/>.</summary>
    public static CheckInStreaks Streaks(IReadOnlyList<int> quarterHours, DateTimeZone zone, DateTimeOffset now)
    {
        if (quarterHours.Count == 0)
        {
            return new CheckInStreaks(0, 0, null);
        }

        // Local dates of sorted instants are almost sorted (a zone can step back across midnight), so sort them.
        var days = new SortedSet<LocalDate>();
        foreach (var quarterHour in quarterHours)
        {
            days.Add(Instant.FromUnixTimeMilliseconds(quarterHour * QuarterHourMilliseconds).InZone(zone).Date);
        }

        var longest = 0;
        var run = 0;
        LocalDate? previous = null;
        foreach (var day in days)
        {
            run = previous is { } p && p.PlusDays(1) == day ? run + 1 : 1;
            longest = Math.Max(longest, run);
            previous = day;
        }

        var last = days.Max;
        var today = Instant.FromDateTimeOffset(now).InZone(zone).Date;
        var current = last >= today.PlusDays(-1) ? run : 0;
        return new CheckInStreaks(current, longest, new DateOnly(last.Year, last.Month, last.Day));
    }
}
