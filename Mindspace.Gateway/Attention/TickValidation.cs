using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces.Attention;

namespace Mindspace.Gateway.Attention;

/// <summary>A batch of ticks as the browser sends it (HTTP body or hub argument).</summary>
public sealed record TickBatchRequest(IReadOnlyList<TickRequest?>? Ticks);

/// <summary>One tick as sent. <c>site</c> is a host or an http(s) URL; only its registrable domain is kept.</summary>
/// <param name="Incognito">Ticks from private windows are dropped unread.</param>
/// <param name="SessionId">The focus session the browser believes is running (optional): it must be the user's own.</param>
public sealed record TickRequest(
    string? Id,
    DateTimeOffset? Ts,
    string? Site,
    string? Path,
    string? Title,
    bool? Focused,
    bool? Idle,
    bool? Audible,
    double? DurationSec,
    bool? Incognito,
    Guid? SessionId);

/// <summary>The acknowledgement of a batch: every tick counted here is stored.</summary>
/// <param name="Accepted">New ticks stored.</param>
/// <param name="Duplicates">Ticks already stored earlier (same id): harmless resends.</param>
/// <param name="Dropped">Incognito ticks, dropped without being read.</param>
public sealed record TickBatchResponse(int Accepted, int Duplicates, int Dropped);

/// <summary>Checks a batch of ticks and reduces each to what Mindspace keeps.</summary>
public static class TickValidation
{
    /// <summary>The ticks to store, or null when any tick is invalid (then <paramref name="errors"/> says which, and nothing is stored).</summary>
    public static (List<Tick> Ticks, int Dropped, HashSet<Guid> SessionIds)? Read(TickBatchRequest? batch, DateTimeOffset now, FieldErrors errors)
    {
        if (batch?.Ticks is not { } ticks)
        {
            errors.Add("ticks", "Send ticks as a list.");
            return null;
        }

        if (ticks.Count > AttentionRules.MaxBatch)
        {
            errors.Add("ticks", $"Send at most {AttentionRules.MaxBatch} ticks at a time.");
            return null;
        }

        var kept = new List<Tick>(ticks.Count);
        var sessions = new HashSet<Guid>();
        var dropped = 0;
        for (var i = 0; i < ticks.Count; i++)
        {
            var field = $"ticks[{i}]";
            if (ticks[i] is not { } tick)
            {
                errors.Add(field, "A tick cannot be null.");
                continue;
            }

            if (tick.Incognito == true)
            {
                dropped++;
                continue;
            }

            errors.Add($"{field}.id", AttentionRules.CheckId(tick.Id));
            var site = Sites.ToSite(tick.Site);
            errors.Add($"{field}.site", site is null ? "The site must be a host name or an http(s) address." : null);
            errors.Add($"{field}.path", tick.Path is { Length: > AttentionRules.MaxPathLength } ? $"A path is at most {AttentionRules.MaxPathLength} characters." : null);
            errors.Add($"{field}.title", tick.Title is { Length: > AttentionRules.MaxTitleLength } ? $"A title is at most {AttentionRules.MaxTitleLength} characters." : null);
            if (tick.Ts is not { } ts)
            {
                errors.Add($"{field}.ts", "Each tick needs its start time (ts).");
                continue;
            }

            if (tick.DurationSec is not { } seconds || double.IsNaN(seconds) || double.IsInfinity(seconds))
            {
                errors.Add($"{field}.durationSec", "Each tick needs its duration in seconds.");
                continue;
            }

            var milliseconds = (long)Math.Round(Math.Clamp(seconds, -1, AttentionRules.MaxDurationMilliseconds) * 1000);
            if (seconds < 0)
            {
                milliseconds = -1;
            }

            var timeError = AttentionRules.CheckTime(ts.ToUniversalTime(), milliseconds, now, out var timeField);
            errors.Add($"{field}.{timeField}", timeError);
            if (tick.SessionId is { } sessionId)
            {
                sessions.Add(sessionId);
            }

            if (site is not null && timeError is null)
            {
                kept.Add(new Tick(
                    tick.Id!,
                    ts.ToUniversalTime(),
                    site,
                    tick.Path,
                    tick.Title,
                    tick.Focused ?? false,
                    tick.Idle ?? false,
                    tick.Audible ?? false,
                    milliseconds));
            }
        }

        return errors.Any ? null : (kept, dropped, sessions);
    }
}
