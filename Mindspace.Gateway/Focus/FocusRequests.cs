using System.Globalization;
using Mindspace.Gateway.CheckIns;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces.Focus;

namespace Mindspace.Gateway.Focus;

/// <summary>Days ("mon" … "sun") and local time ranges ("HH:mm"–"HH:mm"; an end before the start runs past midnight).</summary>
public sealed record ScheduleRequest(IReadOnlyList<string?>? Days, IReadOnlyList<TimeRangeRequest?>? Ranges);

public sealed record TimeRangeRequest(string? From, string? To);

/// <summary>The rule acts once this many minutes went to its sites in the hour or day.</summary>
public sealed record LimitRequest(int? Minutes, string? Per);

/// <summary>Body of <c>POST /api/v1/focus/rules</c>.</summary>
public sealed record CreateRuleRequest(
    string? Name,
    IReadOnlyList<string?>? Sites,
    IReadOnlyList<string?>? Allow,
    ScheduleRequest? Schedule,
    LimitRequest? Limit,
    string? Action,
    int? PauseSeconds,
    DateTimeOffset? LockedUntil,
    bool? Enabled);

/// <summary>Body of <c>PATCH /api/v1/focus/rules/{id}</c>: a JSON merge patch (absent: unchanged; null clears schedule, limit or lock).</summary>
public sealed record UpdateRuleRequest
{
    public string? Name { get; init; }

    public IReadOnlyList<string?>? Sites { get; init; }

    public IReadOnlyList<string?>? Allow { get; init; }

    public Optional<ScheduleRequest?> Schedule { get; init; }

    public Optional<LimitRequest?> Limit { get; init; }

    public string? Action { get; init; }

    public int? PauseSeconds { get; init; }

    public Optional<DateTimeOffset?> LockedUntil { get; init; }

    public bool? Enabled { get; init; }
}

/// <summary>Body of <c>POST /api/v1/focus/unlock</c>.</summary>
public sealed record UnlockRequest(string? Site, int? Minutes, string? Reason);

/// <summary>Body of <c>POST /api/v1/focus/dismiss</c>: the site or address the person chose not to open.</summary>
public sealed record DismissRequest(string? Site);

/// <summary>Body of <c>POST /api/v1/focus/sessions</c>.</summary>
public sealed record StartSessionRequest(int? PlannedMinutes, string? Strictness);

public sealed record FocusSettingsRequest(int? UnlocksPerDay);

/// <summary>Checks rule requests and turns them into what the focus grain stores.</summary>
public static class FocusValidation
{
    public static FocusRuleDraft? ToDraft(CreateRuleRequest request, DateTimeOffset now, FieldErrors errors)
    {
        var name = Name(request.Name ?? "", errors);
        var sites = Patterns(request.Sites, "sites", required: true, errors);
        var allow = Patterns(request.Allow ?? [], "allow", required: false, errors);
        var schedule = request.Schedule is null ? null : Schedule(request.Schedule, errors);
        var limit = request.Limit is null ? null : Limit(request.Limit, errors);
        var action = Action(request.Action ?? FocusRules.Pause, errors);
        var pause = PauseSeconds(request.PauseSeconds ?? FocusRules.DefaultPauseSeconds, errors);
        var lockedUntil = LockedUntil(request.LockedUntil, now, errors);
        return errors.Any ? null : new FocusRuleDraft(name!, sites!, allow!, schedule, limit, action!, pause, lockedUntil, request.Enabled ?? true);
    }

    public static FocusRulePatch? ToPatch(UpdateRuleRequest request, DateTimeOffset now, FieldErrors errors)
    {
        var patch = new FocusRulePatch(
            Name: request.Name is null ? null : Name(request.Name, errors),
            Sites: request.Sites is null ? null : Patterns(request.Sites, "sites", required: true, errors),
            Allow: request.Allow is null ? null : Patterns(request.Allow, "allow", required: false, errors),
            SetSchedule: request.Schedule.IsSet,
            Schedule: request.Schedule is { IsSet: true, Value: { } schedule } ? Schedule(schedule, errors) : null,
            SetLimit: request.Limit.IsSet,
            Limit: request.Limit is { IsSet: true, Value: { } limit } ? Limit(limit, errors) : null,
            Action: request.Action is null ? null : Action(request.Action, errors),
            PauseSeconds: request.PauseSeconds is { } pause ? PauseSeconds(pause, errors) : null,
            SetLockedUntil: request.LockedUntil.IsSet,
            LockedUntil: request.LockedUntil.IsSet ? LockedUntil(request.LockedUntil.Value, now, errors) : null,
            Enabled: request.Enabled);
        return errors.Any ? null : patch;
    }

    private static string? Name(string name, FieldErrors errors)
    {
        var trimmed = name.Trim();
        errors.Add("name", trimmed.Length is 0 or > FocusRules.MaxNameLength ? $"Give the rule set a name of 1 to {FocusRules.MaxNameLength} characters." : null);
        return trimmed;
    }

    private static List<string>? Patterns(IReadOnlyList<string?>? patterns, string field, bool required, FieldErrors errors)
    {
        if (patterns is null || (required && patterns.Count == 0))
        {
            errors.Add(field, "List at least one site, such as example.com or *.example.com.");
            return null;
        }

        if (patterns.Count > FocusRules.MaxPatterns)
        {
            errors.Add(field, $"At most {FocusRules.MaxPatterns} sites.");
            return null;
        }

        var result = new List<string>();
        for (var i = 0; i < patterns.Count; i++)
        {
            if (FocusRules.NormalizePattern(patterns[i]) is { } pattern)
            {
                if (!result.Contains(pattern))
                {
                    result.Add(pattern);
                }
            }
            else
            {
                errors.Add($"{field}[{i}]", "A site is a domain (example.com), a wildcard (*.example.com), optionally with a path (example.com/watch).");
            }
        }

        return result;
    }

    private static FocusSchedule? Schedule(ScheduleRequest request, FieldErrors errors)
    {
        var days = new List<string>();
        foreach (var day in request.Days ?? [])
        {
            var name = day?.Trim().ToLowerInvariant();
            var match = FocusRules.DayNames.FirstOrDefault(d => name is not null && name.Length >= 3 && name.StartsWith(d, StringComparison.Ordinal));
            if (match is null)
            {
                errors.Add("schedule.days", "Days are mon, tue, wed, thu, fri, sat, sun.");
            }
            else if (!days.Contains(match))
            {
                days.Add(match);
            }
        }

        var ranges = new List<MinuteRange>();
        foreach (var range in request.Ranges ?? [])
        {
            if (range is not null && Minute(range.From) is { } from && Minute(range.To) is { } to && from != to)
            {
                ranges.Add(new MinuteRange(from, to));
            }
            else
            {
                errors.Add("schedule.ranges", "Each range has a from and a to time (HH:mm) that differ.");
            }
        }

        errors.Add("schedule.ranges", ranges.Count > 20 ? "At most 20 time ranges." : null);
        return new FocusSchedule(days, ranges);
    }

    private static int? Minute(string? time)
        => TimeOnly.TryParseExact(time, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) ? parsed.Hour * 60 + parsed.Minute
            : time == "24:00" ? 0 : null;

    private static FocusLimit? Limit(LimitRequest request, FieldErrors errors)
    {
        var per = request.Per ?? FocusRules.PerDay;
        errors.Add("limit.per", per is FocusRules.PerHour or FocusRules.PerDay ? null : "A limit is per hour or per day.");
        var max = per == FocusRules.PerHour ? 60 : 1_440;
        errors.Add("limit.minutes", request.Minutes is { } minutes && minutes >= 0 && minutes <= max ? null : $"Minutes from 0 to {max}.");
        return new FocusLimit(request.Minutes ?? 0, per);
    }

    private static string? Action(string action, FieldErrors errors)
    {
        errors.Add("action", FocusRules.Actions.Contains(action) ? null : "The action is pause, block or allow.");
        return action;
    }

    private static int PauseSeconds(int seconds, FieldErrors errors)
    {
        errors.Add("pauseSeconds", seconds is >= FocusRules.MinPauseSeconds and <= FocusRules.MaxPauseSeconds ? null : $"A pause lasts {FocusRules.MinPauseSeconds} to {FocusRules.MaxPauseSeconds} seconds.");
        return seconds;
    }

    private static DateTimeOffset? LockedUntil(DateTimeOffset? until, DateTimeOffset now, FieldErrors errors)
    {
        if (until is { } value)
        {
            errors.Add("lockedUntil", value <= now ? "A lock ends in the future." : value - now > FocusRules.MaxLock ? "A lock lasts at most 90 days." : null);
            return value.ToUniversalTime();
        }

        return null;
    }
}
