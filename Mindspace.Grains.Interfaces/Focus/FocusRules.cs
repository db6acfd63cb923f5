using Mindspace.Grains.Interfaces.Attention;
using NodaTime;

namespace Mindspace.Grains.Interfaces.Focus;

/// <summary>Limits, patterns, schedules and strictness: what the gateway validates and the focus grain applies.</summary>
public static class FocusRules
{
    public const string Pause = "pause";
    public const string Block = "block";
    public const string Allow = "allow";

    public const string PerHour = "hour";
    public const string PerDay = "day";

    public const string Gentle = "gentle";
    public const string Firm = "firm";
    public const string Strict = "strict";

    public const int MaxRules = 100;
    public const int MaxPatterns = 200;
    public const int MaxPatternLength = 300;
    public const int MaxNameLength = 80;
    public const int MinPauseSeconds = 3;
    public const int MaxPauseSeconds = 300;
    public const int DefaultPauseSeconds = 15;
    public const int MaxUnlockMinutes = 120;
    public const int MaxReasonLength = 500;
    public const int DefaultUnlocksPerDay = 3;
    public const int MaxUnlocksPerDay = 50;
    public const int MaxSessionMinutes = 480;

    public static readonly IReadOnlyList<string> Actions = [Allow, Pause, Block];
    public static readonly IReadOnlyList<string> Strictnesses = [Gentle, Firm, Strict];
    public static readonly IReadOnlyList<string> DayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    /// <summary>The longest a rule can be locked ahead.</summary>
    public static readonly TimeSpan MaxLock = TimeSpan.FromDays(90);

    /// <summary>How strict an action is: allow &lt; pause &lt; block.</summary>
    public static int Severity(string action) => action switch
    {
        Block => 2,
        Pause => 1,
        _ => 0,
    };

    /// <summary>
    /// A pattern as stored ("*.example.com/path"), or null when it is not one: a host (its
    /// subdomains included) or "*." and a domain (subdomains only), then an optional path prefix.
    /// </summary>
    public static string? NormalizePattern(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern) || pattern.Length > MaxPatternLength)
        {
            return null;
        }

        var text = pattern.Trim().ToLowerInvariant();
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            text = text[(scheme + 3)..];
        }

        var slash = text.IndexOf('/');
        var hostPart = slash < 0 ? text : text[..slash];
        var path = slash < 0 ? "" : text[slash..].TrimEnd('/');
        var wildcard = hostPart.StartsWith("*.", StringComparison.Ordinal);
        if (wildcard)
        {
            hostPart = hostPart[2..];
        }

        if (hostPart.StartsWith("www.", StringComparison.Ordinal) && !wildcard)
        {
            hostPart = hostPart[4..];
        }

        var host = Sites.ToHost(hostPart);
        if (host is null || path.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return null;
        }

        return (wildcard ? "*." : "") + host + path;
    }

    /// <summary>Whether a stored pattern covers the address.</summary>
    public static bool Matches(string pattern, string host, string path) => SitePattern.Parse(pattern).Matches(host, path);

    /// <summary>Whether attention counted for <paramref name="site"/> (a registrable domain) belongs to the pattern's sites.</summary>
    public static bool CoversSite(string pattern, string site) => SitePattern.Parse(pattern).CoversSite(site);

    /// <summary>Whether the rule's schedule is on at <paramref name="now"/> in <paramref name="zone"/>.</summary>
    public static bool IsScheduled(FocusSchedule? schedule, DateTimeOffset now, DateTimeZone zone)
    {
        if (schedule is null)
        {
            return true;
        }

        var local = Instant.FromDateTimeOffset(now).InZone(zone).LocalDateTime;
        var minute = local.Hour * 60 + local.Minute;
        var today = DayName(local.DayOfWeek);
        var yesterday = DayName(local.PlusDays(-1).DayOfWeek);
        bool DayOn(string day) => schedule.Days.Count == 0 || schedule.Days.Contains(day);
        if (schedule.Ranges.Count == 0)
        {
            return DayOn(today);
        }

        foreach (var range in schedule.Ranges)
        {
            if (range.To > range.From)
            {
                if (DayOn(today) && minute >= range.From && minute < range.To)
                {
                    return true;
                }
            }
            else if ((DayOn(today) && minute >= range.From) || (DayOn(yesterday) && minute < range.To))
            {
                // Past midnight: the range belongs to the day it started on.
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The first instant after <paramref name="now"/> at which the schedule may turn on or off: a
    /// local midnight or the start or end of one of its ranges, within the next eight days.
    /// </summary>
    /// <returns>Null for "always".</returns>
    public static DateTimeOffset? NextScheduleBoundary(FocusSchedule? schedule, DateTimeOffset now, DateTimeZone zone)
    {
        if (schedule is null)
        {
            return null;
        }

        var today = Instant.FromDateTimeOffset(now).InZone(zone).Date;
        DateTimeOffset? next = null;
        for (var offset = -1; offset <= 8; offset++)
        {
            var day = today.PlusDays(offset).AtMidnight();
            Consider(day);
            foreach (var range in schedule.Ranges)
            {
                Consider(day.PlusMinutes(range.From));
                Consider(day.PlusMinutes(range.To));
            }
        }

        return next;

        void Consider(LocalDateTime local)
        {
            var instant = zone.AtLeniently(local).ToDateTimeOffset();
            if (instant > now && (next is null || instant < next))
            {
                next = instant;
            }
        }
    }

    /// <summary>Whether <paramref name="changed"/> is at least as strict as <paramref name="locked"/> in every respect.</summary>
    /// <returns>Null when it is; otherwise what would loosen.</returns>
    public static string? Loosens(FocusRule locked, FocusRule changed)
    {
        if (locked.Sites.Except(changed.Sites).Any())
        {
            return "A locked rule keeps all its sites.";
        }

        if (changed.Allow.Except(locked.Allow).Any())
        {
            return "A locked rule takes no new exceptions.";
        }

        if (Severity(changed.Action) < Severity(locked.Action) || (changed.Action == Pause && locked.Action == Pause && changed.PauseSeconds < locked.PauseSeconds))
        {
            return "A locked rule cannot be made gentler.";
        }

        if (locked.Enabled && !changed.Enabled)
        {
            return "A locked rule cannot be turned off.";
        }

        if (locked.Limit is not null && changed.Limit is not null && (changed.Limit.Minutes > locked.Limit.Minutes || changed.Limit.Per != locked.Limit.Per))
        {
            return "A locked rule's limit can only go down.";
        }

        if (locked.Limit is null && changed.Limit is not null)
        {
            return "A locked rule cannot take a limit that lets time through.";
        }

        if (changed.Schedule is not null && !Equals(ScheduleKey(changed.Schedule), ScheduleKey(locked.Schedule)))
        {
            return "A locked rule's schedule can only be widened to always.";
        }

        if (changed.LockedUntil is null || changed.LockedUntil < locked.LockedUntil)
        {
            return "A lock can be extended, not shortened.";
        }

        return null;
    }

    public static string DayName(IsoDayOfWeek day) => DayNames[(int)day - 1];

    private static string? ScheduleKey(FocusSchedule? schedule)
        => schedule is null ? null : string.Join(',', schedule.Days) + "|" + string.Join(',', schedule.Ranges.Select(r => $"{r.From}-{r.To}"));
}

/// <summary>
/// A stored pattern taken apart once ("*.example.com/path": subdomains only, of example.com, under
/// /path), so matching an address costs no parsing or allocation.
/// </summary>
public sealed class SitePattern
{
    private SitePattern(string domain, bool subdomainsOnly, string? pathPrefix)
    {
        Domain = domain;
        SubdomainsOnly = subdomainsOnly;
        PathPrefix = pathPrefix;
    }

    /// <summary>The host part without "*.".</summary>
    public string Domain { get; }

    /// <summary>"*.": the domain itself is not covered.</summary>
    public bool SubdomainsOnly { get; }

    public string? PathPrefix { get; }

    public static SitePattern Parse(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var slash = pattern.IndexOf('/', StringComparison.Ordinal);
        var hostPart = slash < 0 ? pattern : pattern[..slash];
        var wildcard = hostPart.StartsWith("*.", StringComparison.Ordinal);
        return new SitePattern(wildcard ? hostPart[2..] : hostPart, wildcard, slash < 0 ? null : pattern[slash..]);
    }

    /// <summary>Whether the pattern covers the address (an ASCII host and its path).</summary>
    public bool Matches(string host, string path)
    {
        var hostMatches = SubdomainsOnly
            ? host.Length > Domain.Length && Sites.IsWithin(host, Domain)
            : Sites.IsWithin(host, Domain);
        return hostMatches && (PathPrefix is null || path.StartsWith(PathPrefix, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Whether attention counted for <paramref name="site"/> (a registrable domain) belongs to the pattern's sites.</summary>
    public bool CoversSite(string site) => Sites.IsWithin(Domain, site) || Sites.IsWithin(site, Domain);
}
