namespace Mindspace.Grains.Interfaces.Attention;

/// <summary>Limits and checks on ticks, shared by the gateway (which answers 4xx) and the grain (which defends its data).</summary>
public static class AttentionRules
{
    /// <summary>Most ticks in one request or hub batch.</summary>
    public const int MaxBatch = 500;

    public const int MaxIdLength = 64;
    public const int MaxPathLength = 2_048;
    public const int MaxTitleLength = 300;

    /// <summary>Longest interval one tick may count (an hour).</summary>
    public const long MaxDurationMilliseconds = 3_600_000;

    /// <summary>Clock skew allowed between browser and server before a tick counts as "from the future".</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(2);

    /// <summary>How late a tick may arrive (an offline browser catching up).</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(30);

    /// <summary>Ticks of one site this close together (end to start) extend one span, as heartbeats do.</summary>
    public static readonly TimeSpan PulseWindow = TimeSpan.FromSeconds(60);

    /// <summary>Longest range a summary covers.</summary>
    public static readonly TimeSpan MaxSummaryRange = TimeSpan.FromDays(92);

    public const string BySite = "site";
    public const string ByCategory = "category";
    public const string ByHour = "hour";
    public const string ByDay = "day";

    public static readonly IReadOnlyList<string> Groupings = [BySite, ByCategory, ByHour, ByDay];

    /// <summary>Unfocused or idle time is not attention, unless something is playing.</summary>
    public static bool IsAttention(bool focused, bool idle, bool audible) => audible || (focused && !idle);

    /// <summary>Why a tick id is not acceptable, or null.</summary>
    public static string? CheckId(string? id)
        => string.IsNullOrWhiteSpace(id) || id.Length > MaxIdLength || id.Any(char.IsControl)
            ? $"Each tick needs an id of 1 to {MaxIdLength} characters."
            : null;

    /// <summary>Why a tick's time and duration are not acceptable at <paramref name="now"/>, or null.</summary>
    public static string? CheckTime(DateTimeOffset ts, long durationMilliseconds, DateTimeOffset now, out string field)
    {
        field = "durationSec";
        if (durationMilliseconds < 0)
        {
            return "A duration cannot be negative.";
        }

        if (durationMilliseconds > MaxDurationMilliseconds)
        {
            return "One tick counts at most an hour.";
        }

        field = "ts";
        if (ts.AddMilliseconds(durationMilliseconds) > now + FutureTolerance)
        {
            return "This tick ends in the future. Check the device's clock.";
        }

        return ts < now - MaxAge ? "This tick is more than 30 days old." : null;
    }
}
