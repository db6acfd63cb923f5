using System.Globalization;
using NodaTime;

namespace Mindspace.Grains.Interfaces.Attention;

/// <summary>Turns spans into a summary: time per site, category, local hour or local day, and site switches.</summary>
public static class AttentionSummaries
{
    public static AttentionSummary Build(IEnumerable<AttentionSpan> spans, IReadOnlyDictionary<string, string> categories, AttentionSummaryQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(query.TimeZone) ?? DateTimeZone.Utc;
        var clipped = spans
            .Select(s => s with { Start = Max(s.Start, query.From), End = Min(s.End, query.To) })
            .Where(s => s.End > s.Start)
            .OrderBy(s => s.Start)
            .ToList();

        var groups = new Dictionary<string, (long Milliseconds, int Switches)>(StringComparer.Ordinal);
        var categorySeconds = SiteCategories.All.ToDictionary(c => c, _ => 0L, StringComparer.Ordinal);
        var activeHours = new HashSet<string>(StringComparer.Ordinal);
        long totalMilliseconds = 0;
        var switches = 0;
        string? previousSite = null;
        foreach (var span in clipped)
        {
            var category = SiteCategories.Of(span.Site, categories);
            var milliseconds = (long)(span.End - span.Start).TotalMilliseconds;
            totalMilliseconds += milliseconds;
            categorySeconds[category] += milliseconds;
            var switched = previousSite is not null && previousSite != span.Site;
            previousSite = span.Site;
            switches += switched ? 1 : 0;

            foreach (var (pieceStart, pieceEnd) in Split(span.Start, span.End, zone, LocalHourStart))
            {
                activeHours.Add(KeyOfHour(pieceStart, zone));
            }

            switch (query.By)
            {
                case AttentionRules.ByCategory:
                    Add(groups, category, milliseconds, switched);
                    break;
                case AttentionRules.ByHour:
                    AddSplit(groups, span, zone, LocalHourStart, start => KeyOfHour(start, zone), switched);
                    break;
                case AttentionRules.ByDay:
                    AddSplit(groups, span, zone, LocalDayStart, start => KeyOfDay(start, zone), switched);
                    break;
                default:
                    Add(groups, span.Site, milliseconds, switched);
                    break;
            }
        }

        var ordered = query.By is AttentionRules.ByHour or AttentionRules.ByDay
            ? groups.OrderBy(g => g.Key, StringComparer.Ordinal)
            : groups.OrderByDescending(g => g.Value.Milliseconds).ThenBy(g => g.Key, StringComparer.Ordinal);
        var result = ordered
            .Select(g => new SummaryGroup(
                g.Key,
                g.Value.Milliseconds / 1000,
                query.By == AttentionRules.BySite ? SiteCategories.Of(g.Key, categories) : null,
                g.Value.Switches))
            .ToList();

        return new AttentionSummary(
            query.From,
            query.To,
            zone.Id,
            query.By,
            totalMilliseconds / 1000,
            categorySeconds.ToDictionary(c => c.Key, c => c.Value / 1000, StringComparer.Ordinal),
            switches,
            activeHours.Count == 0 ? 0 : Math.Round((double)switches / activeHours.Count, 2),
            result);
    }

    /// <summary>Cuts [start, end) at the boundaries <paramref name="boundaryOf"/> gives (the local hour or day holding an instant).</summary>
    public static IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> Split(
        DateTimeOffset start, DateTimeOffset end, DateTimeZone zone, Func<DateTimeOffset, DateTimeZone, (DateTimeOffset Start, DateTimeOffset Next)> boundaryOf)
    {
        var cursor = start;
        while (cursor < end)
        {
            var (_, next) = boundaryOf(cursor, zone);
            var pieceEnd = next < end ? next : end;
            yield return (cursor, pieceEnd);
            cursor = pieceEnd;
        }
    }

    /// <summary>The start of the local hour holding <paramref name="instant"/>, and the next one's.</summary>
    public static (DateTimeOffset Start, DateTimeOffset Next) LocalHourStart(DateTimeOffset instant, DateTimeZone zone)
    {
        var local = Instant.FromDateTimeOffset(instant).InZone(zone).LocalDateTime;
        var hour = local.Date.At(new LocalTime(local.Hour, 0));
        var start = zone.AtLeniently(hour).ToDateTimeOffset();
        var next = zone.AtLeniently(hour.PlusHours(1)).ToDateTimeOffset();
        if (start > instant)
        {
            start = instant;
        }

        return (start, next <= instant ? instant.AddHours(1) : next);
    }

    /// <summary>The start of the local day holding <paramref name="instant"/>, and the next one's.</summary>
    public static (DateTimeOffset Start, DateTimeOffset Next) LocalDayStart(DateTimeOffset instant, DateTimeZone zone)
    {
        var date = Instant.FromDateTimeOffset(instant).InZone(zone).Date;
        return (zone.AtStartOfDay(date).ToDateTimeOffset(), zone.AtStartOfDay(date.PlusDays(1)).ToDateTimeOffset());
    }

    private static void AddSplit(
        Dictionary<string, (long, int)> groups,
        AttentionSpan span,
        DateTimeZone zone,
        Func<DateTimeOffset, DateTimeZone, (DateTimeOffset Start, DateTimeOffset Next)> boundaryOf,
        Func<DateTimeOffset, string> keyOf,
        bool switched)
    {
        var first = true;
        foreach (var (start, end) in Split(span.Start, span.End, zone, boundaryOf))
        {
            Add(groups, keyOf(start), (long)(end - start).TotalMilliseconds, first && switched);
            first = false;
        }
    }

    private static void Add(Dictionary<string, (long Milliseconds, int Switches)> groups, string key, long milliseconds, bool switched)
    {
        var current = groups.GetValueOrDefault(key);
        groups[key] = (current.Milliseconds + milliseconds, current.Switches + (switched ? 1 : 0));
    }

    private static string KeyOfHour(DateTimeOffset instant, DateTimeZone zone)
    {
        var zoned = Instant.FromDateTimeOffset(instant).InZone(zone);
        var local = zoned.LocalDateTime;
        var hourStart = local.Date.At(new LocalTime(local.Hour, 0));
        return hourStart.ToString("yyyy'-'MM'-'dd'T'HH':'mm", CultureInfo.InvariantCulture) + zoned.Offset.ToString("m", CultureInfo.InvariantCulture);
    }

    private static string KeyOfDay(DateTimeOffset instant, DateTimeZone zone)
        => Instant.FromDateTimeOffset(instant).InZone(zone).Date.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
