using Mindspace.Grains.Interfaces.Attention;
using Mindspace.Grains.Interfaces.CheckIns;
using Mindspace.Grains.Interfaces.Users;
using NodaTime;

namespace Mindspace.Grains.Analytics;

/// <summary>
/// Browsing attention as analytics sees them: per local day of the profile's zone, the minutes on
/// focus, neutral and distracting sites (<see cref="IAttentionGrain.GetDailyMinutesAsync"/>, a
/// read-only call; never a site, path or title). Like focus sessions they are an activity, not a
/// check-in: they add minutes to a day that has check-ins or journal entries (for "better days"),
/// never a count, a mood, a pixel or a day of showing up.
/// </summary>
public sealed class AttentionSignalSource : IMoodSignalSource
{
    public const string Focus = "attention-focus";
    public const string Neutral = "attention-neutral";
    public const string Distracting = "attention-distracting";

    public static IReadOnlyList<string> Sources { get; } = [Focus, Neutral, Distracting];

    public static bool IsAttention(string source) => source.StartsWith("attention-", StringComparison.Ordinal);

    public async Task<IReadOnlyList<MoodSignal>> ReadAsync(IGrainFactory grains, Guid userId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var zoneId = (await grains.GetGrain<IUserGrain>(userId).GetProfileAsync())?.TimeZone;
        var days = await grains.GetGrain<IAttentionGrain>(userId).GetDailyMinutesAsync(from, to, zoneId);
        if (days.Count == 0)
        {
            return [];
        }

        var zone = CheckInTimeZones.FindOrUtc(zoneId);
        var signals = new List<MoodSignal>(days.Count * 3);
        foreach (var day in days)
        {
            // One instant inside the local day (its noon) with the offset there, so the signal lands on that day.
            var noon = zone.AtLeniently(LocalDate.FromDateOnly(day.Date).At(new LocalTime(12, 0)));
            var at = noon.ToDateTimeOffset();
            var offset = (int)(noon.Offset.Ticks / TimeSpan.TicksPerMinute);
            Add(Focus, day.FocusMinutes);
            Add(Neutral, day.NeutralMinutes);
            Add(Distracting, day.DistractingMinutes);

            void Add(string source, double minutes)
            {
                if (minutes > 0)
                {
                    signals.Add(new MoodSignal(at.ToUniversalTime(), offset, source, null, [], Minutes: minutes));
                }
            }
        }

        return signals;
    }
}
