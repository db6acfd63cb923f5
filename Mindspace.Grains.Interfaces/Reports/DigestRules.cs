using System.Globalization;

namespace Mindspace.Grains.Interfaces.Reports;

/// <summary>How a digest schedule is written and checked, shared by the gateway and the grain.</summary>
public static class DigestRules
{
    public const string DefaultDayOfWeek = "monday";
    public const string DefaultTime = "08:00";
    public const int DefaultPageSize = 10;
    public const int MaxPageSize = 52;

    private static readonly string[] Days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    /// <summary>ISO day number (Monday 1 … Sunday 7) of a weekday name (any case), or null when it is not one.</summary>
    public static int? IsoDayOf(string? day)
    {
        var index = day is null ? -1 : Array.IndexOf(Days, day.Trim().ToLowerInvariant());
        return index < 0 ? null : index + 1;
    }

    public static string DayName(int isoDay) => Days[isoDay - 1];

    /// <summary>Minutes after local midnight of an <c>HH:mm</c> time, or null when it is not one.</summary>
    public static int? MinuteOfDayOf(string? time)
        => time is not null && TimeOnly.TryParseExact(time.Trim(), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? (t.Hour * 60) + t.Minute
            : null;

    public static string TimeOf(int minuteOfDay) => string.Create(CultureInfo.InvariantCulture, $"{minuteOfDay / 60:D2}:{minuteOfDay % 60:D2}");

    public static string? CheckDay(string? day) => IsoDayOf(day) is null ? "Choose a weekday, such as monday." : null;

    public static string? CheckTime(string? time) => MinuteOfDayOf(time) is null ? "Use a 24-hour local time such as 08:00." : null;
}
