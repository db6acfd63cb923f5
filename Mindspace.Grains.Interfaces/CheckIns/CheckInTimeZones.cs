using NodaTime;

namespace Mindspace.Grains.Interfaces.CheckIns;

/// <summary>
/// Resolves a profile's time zone with NodaTime's bundled tz database, so the answer does not
/// depend on the host's installed zone data. Profiles hold only ids that
/// <c>UserRules.TryCanonicalTimeZone</c> accepted, so no further parsing is needed here.
/// </summary>
public static class CheckInTimeZones
{
    /// <summary>The zone for a canonical IANA id, or UTC when it is missing or unknown.</summary>
    public static DateTimeZone FindOrUtc(string? timeZoneId)
        => (timeZoneId is null ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZoneId)) ?? DateTimeZone.Utc;
}
