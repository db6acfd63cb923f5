using System.Globalization;
using System.Text;
using Mindspace.Grains.Interfaces.Journal;

namespace Mindspace.Gateway.Therapist;

/// <summary>
/// What the companion may know of someone's journal when they have opted in: only the signals the
/// journal gives analytics (when, kind, their own mood, the tone of the words, tags), never its
/// words. Off by default; the setting is in the person's export.
/// </summary>
public static class JournalMemory
{
    /// <summary>How far back the companion looks.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(7);

    /// <returns>A few plain lines for the model's instructions, or null when there is nothing recent.</returns>
    public static string? Describe(IReadOnlyList<JournalSignal> signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        if (signals.Count == 0)
        {
            return null;
        }

        var days = signals.Select(s => DateOnly.FromDateTime(s.CreatedAt.UtcDateTime.AddMinutes(s.UtcOffsetMinutes))).Distinct().Count();
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"In the last {Window.Days} days they wrote {signals.Count} journal {(signals.Count == 1 ? "entry" : "entries")} on {days} {(days == 1 ? "day" : "days")}");
        var moods = signals.Where(s => s.Mood is not null).Select(s => s.Mood!.Value).ToList();
        if (moods.Count > 0)
        {
            b.Append(CultureInfo.InvariantCulture, $"; the moods they gave averaged {moods.Average():0.0} of 5");
        }

        var tone = signals.Average(s => s.Compound);
        b.Append(tone <= -0.05 ? "; the words read mostly heavy" : tone >= 0.05 ? "; the words read mostly light" : "; the words read mixed");
        var kinds = signals.GroupBy(s => s.Kind).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}");
        b.Append("; kinds: ").Append(string.Join(", ", kinds));
        var tags = signals.SelectMany(s => s.Tags).GroupBy(t => t, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(5).Select(g => g.Key).ToList();
        if (tags.Count > 0)
        {
            b.Append("; tags they used: ").Append(string.Join(", ", tags));
        }

        b.Append('.');
        return b.ToString();
    }
}
