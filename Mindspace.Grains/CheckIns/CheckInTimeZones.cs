using NodaTime;

namespace Mindspace.Grains.CheckIns;

/// <summary>
/// Resolves a user's time zone id with NodaTime's bundled tz database, so the answer does not
/// depend on the host's installed zone data.
/// </summary>
public static class CheckInTimeZones
{
    /// <summary>The zone for an IANA id (or a Windows id that maps to one); null if unknown.</summary>
    public static DateTimeZone? Find(string? timeZoneId)
    {
        if (string.IsNullOrWhiteSpace(timeZoneId))
        {
            return null;
        }

        var id = timeZoneId.Trim();
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) is { } zone)
        {
            return zone;
        }

        return TimeZoneInfo.TryConvertWindowsIdToIanaId(id, out var ianaId)
            ? DateTimeZoneProviders.Tzdb.GetZoneOrNull(ianaId)
            : null;
    }

    /// <summary>The zone for <paramref name="timeZoneId"/>, or UTC when it is missing or unknown.</summary>
    public static DateTimeZone FindOrUtc(string? timeZoneId) => Find(timeZoneId) ?? DateTimeZone.Utc;
}
