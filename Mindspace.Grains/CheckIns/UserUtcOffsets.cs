using Mindspace.Grains.Interfaces.CheckIns;
using Mindspace.Grains.Interfaces.Users;
using NodaTime;

namespace Mindspace.Grains.CheckIns;

/// <summary>
/// The user's offset from UTC at a moment, as stored with each check-in and journal entry, so its
/// local day and hour stay what they were for the user when they wrote it, whatever zone they move
/// to later. One rule for every module that records a user's day.
/// </summary>
public static class UserUtcOffsets
{
    /// <summary>Minutes east of UTC in <paramref name="timeZone"/> (an IANA id; UTC when missing or unknown) at <paramref name="at"/>.</summary>
    public static int At(string? timeZone, DateTimeOffset at)
        => (int)(CheckInTimeZones.FindOrUtc(timeZone).GetUtcOffset(Instant.FromDateTimeOffset(at)).Ticks / TimeSpan.TicksPerMinute);

    /// <summary>
    /// The offset at <paramref name="at"/> in the time zone on the user's profile now (UTC when there
    /// is no profile). The user grain calls back into the grains that ask only through methods that always
    /// interleave (<see cref="ICheckInsGrain.UseTimeZoneAsync"/>), so the call cannot deadlock.
    /// </summary>
    public static async Task<int> OfUserAsync(IGrainFactory grains, Guid userId, DateTimeOffset at)
    {
        var profile = await grains.GetGrain<IUserGrain>(userId).GetProfileAsync();
        return At(profile?.TimeZone, at);
    }

    /// <summary>The local day of <paramref name="at"/> for someone <paramref name="utcOffsetMinutes"/> east of UTC (null: UTC).</summary>
    public static DateOnly LocalDateOf(DateTimeOffset at, int? utcOffsetMinutes)
        => DateOnly.FromDateTime(at.UtcDateTime.AddMinutes(utcOffsetMinutes ?? 0));
}
