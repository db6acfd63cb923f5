using Mindspace.Grains.Interfaces.Journal;

namespace Mindspace.Grains.Analytics;

/// <summary>
/// Journal entries as analytics sees them: when (with the offset each remembered), kind, the
/// writer's own mood, tags and the VADER compound of the text as <see cref="MoodSignal.Sentiment"/>.
/// The journal grain hands over no text, and reads no ciphertext to answer.
/// </summary>
public sealed class JournalSignalSource : IMoodSignalSource
{
    public const string Journal = "journal";

    public async Task<IReadOnlyList<MoodSignal>> ReadAsync(IGrainFactory grains, Guid userId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var signals = await grains.GetGrain<IJournalGrain>(userId).GetSignalsAsync(from, to, cancellationToken);
        return [.. signals.Select(s => new MoodSignal(s.CreatedAt, s.UtcOffsetMinutes, Journal, s.Mood, s.Tags, s.Compound, s.Kind))];
    }
}
