using NodaTime;
using NodaTime.TimeZones;

namespace Mindspace.Grains.Reports;

/// <summary>
/// When a weekly digest falls due: a local weekday and time in a zone. Wall-clock times are mapped
/// to instants leniently, as people expect: a time skipped by a spring-forward happens just after
/// the gap; a time that happens twice in the autumn happens the first time.
/// </summary>
public static class DigestScheduling
{
    /// <summary>The instant of the digest on local <paramref name="date"/> at <paramref name="minuteOfDay"/>.</summary>
    public static ZonedDateTime OccurrenceOn(LocalDate date, int minuteOfDay, DateTimeZone zone)
        => zone.ResolveLocal(date.At(new LocalTime(minuteOfDay / 60, minuteOfDay % 60)), Resolvers.LenientResolver);

    /// <summary>The most recent occurrence at or before <paramref name="now"/>.</summary>
    public static ZonedDateTime Latest(int isoDay, int minuteOfDay, DateTimeZone zone, Instant now)
    {
        var today = now.InZone(zone).Date;
        var back = ((int)today.DayOfWeek - isoDay + 7) % 7;
        var occurrence = OccurrenceOn(today.PlusDays(-back), minuteOfDay, zone);
        return occurrence.ToInstant() <= now ? occurrence : OccurrenceOn(occurrence.Date.PlusDays(-7), minuteOfDay, zone);
    }

    /// <summary>The first occurrence after <paramref name="now"/>.</summary>
    public static ZonedDateTime Next(int isoDay, int minuteOfDay, DateTimeZone zone, Instant now)
        => OccurrenceOn(Latest(isoDay, minuteOfDay, zone, now).Date.PlusDays(7), minuteOfDay, zone);

    /// <summary>The week a digest written on local day <paramref name="occurrenceDate"/> covers: the seven days before it.</summary>
    public static (LocalDate First, LocalDate Last) WeekBefore(LocalDate occurrenceDate) => (occurrenceDate.PlusDays(-7), occurrenceDate.PlusDays(-1));
}
