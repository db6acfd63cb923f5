using Mindspace.Grains.Interfaces.CheckIns;

namespace Mindspace.Grains.Analytics;

/// <summary>Entries and mood records of the check-ins grain, with the offset each remembered when written.</summary>
public sealed class CheckInsSignalSource : IMoodSignalSource
{
    public const string Entries = "entries";
    public const string Moods = "moods";

    public async Task<IReadOnlyList<MoodSignal>> ReadAsync(IGrainFactory grains, Guid userId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var signals = await grains.GetGrain<ICheckInsGrain>(userId).GetSignalsAsync(from, to, cancellationToken);
        return [.. signals.Items.Select(s => new MoodSignal(s.At, s.UtcOffsetMinutes, s.Kind == CheckInKind.Entry ? Entries : Moods, s.Mood, s.Tags))];
    }
}
