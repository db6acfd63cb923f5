using Mindspace.Grains.CheckIns;
using Mindspace.Grains.Interfaces.Focus;
using Mindspace.Grains.Interfaces.Users;

namespace Mindspace.Grains.Analytics;

/// <summary>
/// Focus minutes as analytics sees them: per ended focus session, when it started and the minutes
/// its report counts as focused. They are an activity, not a check-in: they add minutes to a day that
/// has check-ins or journal entries (for "better days"), never a count, a mood, a pixel or a day of
/// showing up. Sessions remember no offset, so the profile's zone now places them on a local day.
/// </summary>
public sealed class FocusSignalSource : IMoodSignalSource
{
    public const string Focus = "focus";

    public async Task<IReadOnlyList<MoodSignal>> ReadAsync(IGrainFactory grains, Guid userId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        // The focus grain's export is its one read of every session (history is capped at the newest 100).
        var sessions = (await grains.GetGrain<IFocusGrain>(userId).ExportAsync()).Sessions
            .Where(s => s.Report is { FocusedMinutes: > 0 } && s.StartedAt >= from && s.StartedAt < to)
            .ToList();
        if (sessions.Count == 0)
        {
            return [];
        }

        var zone = (await grains.GetGrain<IUserGrain>(userId).GetProfileAsync())?.TimeZone;
        return [.. sessions.Select(s => new MoodSignal(s.StartedAt, UserUtcOffsets.At(zone, s.StartedAt), Focus, null, [], Minutes: s.Report!.FocusedMinutes))];
    }
}
