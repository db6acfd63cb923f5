using Mindspace.Grains.Interfaces.Journal;
using NodaTime;

namespace Mindspace.Gateway.Journal;

/// <summary>One writing prompt.</summary>
/// <param name="Kind">The kind of entry it suits (<c>free</c>, <c>gratitude</c>, <c>thought-record</c>).</param>
public sealed record JournalPrompt(string Id, string Kind, string Text);

/// <summary>Prompts for now, and what they were chosen by.</summary>
/// <param name="TimeOfDay"><c>morning</c>, <c>afternoon</c>, <c>evening</c> or <c>night</c>, in the user's time zone.</param>
/// <param name="MoodBand"><c>low</c>, <c>steady</c>, <c>good</c> or <c>unknown</c>: recent entries' own moods (or, without any, what their words suggest).</param>
/// <param name="Support">A gentle pointer to support, when recent days have been low.</param>
public sealed record JournalPromptsResponse(string TimeOfDay, string MoodBand, IReadOnlyList<JournalPrompt> Prompts, string? Support);

/// <summary>
/// Gentle, CBT-informed writing prompts: open questions, never instructions or judgements. Low
/// days get smaller, kinder asks (and one thought-record invitation); good days an invitation to
/// notice what helped; the time of day shapes the rest. The choice rotates by local day, so the
/// same person sees the same few prompts all day and new ones tomorrow.
/// </summary>
public static class JournalPrompts
{
    public const int Count = 3;

    public const string SupportText =
        "It sounds like things have been heavy lately. You don't have to carry it alone: talking with someone you trust, or a support line, can help. If you are in danger, please contact your local emergency number.";

    private static readonly JournalPrompt[] Low =
    [
        new("low-one-word", JournalKinds.Free, "If today had a weather, what would it be? A word or two is plenty."),
        new("low-small-help", JournalKinds.Free, "Was there one small thing, even a tiny one, that made today a little easier?"),
        new("low-friend", JournalKinds.Free, "If a friend felt the way you feel right now, what would you want them to hear?"),
        new("low-thought", JournalKinds.ThoughtRecord, "Is there a thought that keeps coming back? Writing it down and looking at it gently can loosen its grip."),
        new("low-body", JournalKinds.Free, "How does your body feel right now? Is there anything it could use — water, rest, some air?"),
        new("low-enough", JournalKinds.Free, "What is one thing you did today, however small, that counts?"),
    ];

    private static readonly JournalPrompt[] Steady =
    [
        new("steady-notice", JournalKinds.Free, "What is on your mind right now? Write it as it comes; it doesn't need to be tidy."),
        new("steady-thought", JournalKinds.ThoughtRecord, "Did anything today make you feel a sudden dip? What went through your mind just then?"),
        new("steady-gratitude", JournalKinds.Gratitude, "Name three things, large or small, that you're glad of today."),
        new("steady-balance", JournalKinds.Free, "What is one thing that went okay today, and one that was hard?"),
    ];

    private static readonly JournalPrompt[] Good =
    [
        new("good-what-helped", JournalKinds.Free, "Something went well. What helped it happen? It may be worth remembering."),
        new("good-gratitude", JournalKinds.Gratitude, "Who or what are you thankful for today?"),
        new("good-savour", JournalKinds.Free, "Describe a moment from today you'd like to keep: where you were, what you noticed."),
    ];

    private static readonly Dictionary<string, JournalPrompt[]> ByTimeOfDay = new(StringComparer.Ordinal)
    {
        ["morning"] =
        [
            new("morning-intention", JournalKinds.Free, "What would make today feel a little kinder to yourself?"),
            new("morning-gratitude", JournalKinds.Gratitude, "What is one thing you're looking forward to, even something small?"),
        ],
        ["afternoon"] =
        [
            new("afternoon-pause", JournalKinds.Free, "Take a breath. How has the day been so far?"),
            new("afternoon-worry", JournalKinds.ThoughtRecord, "Is a worry taking up room today? What is the evidence for it, and against it?"),
        ],
        ["evening"] =
        [
            new("evening-review", JournalKinds.Free, "What stayed with you from today?"),
            new("evening-gratitude", JournalKinds.Gratitude, "What went right today, even if only a little?"),
        ],
        ["night"] =
        [
            new("night-unload", JournalKinds.Free, "Is something keeping your mind busy? Putting it on the page can let it rest until morning."),
            new("night-kind", JournalKinds.Free, "What would you say to yourself, kindly, before sleep?"),
        ],
    };

    public static JournalPromptsResponse Choose(RecentMood recent, ZonedDateTime now)
    {
        var timeOfDay = now.Hour switch
        {
            >= 5 and < 12 => "morning",
            >= 12 and < 17 => "afternoon",
            >= 17 and < 22 => "evening",
            _ => "night",
        };
        var band = recent switch
        {
            { AverageMood: { } mood } => mood < 2.5 ? "low" : mood >= 3.75 ? "good" : "steady",
            { AverageCompound: { } compound } => compound <= -0.3 ? "low" : compound >= 0.4 ? "good" : "steady",
            _ => "unknown",
        };

        var moodPrompts = band switch
        {
            "low" => Low,
            "good" => Good,
            _ => Steady,
        };

        // Two for how recent days have felt, one for the time of day; rotated by local day.
        var day = now.Date.DayOfYear;
        var chosen = new List<JournalPrompt>(Count);
        for (var i = 0; chosen.Count < Count - 1 && i < moodPrompts.Length; i++)
        {
            chosen.Add(moodPrompts[(day + i) % moodPrompts.Length]);
        }

        var forTime = ByTimeOfDay[timeOfDay];
        chosen.Add(forTime[day % forTime.Length]);
        return new JournalPromptsResponse(timeOfDay, band, chosen, band == "low" ? SupportText : null);
    }
}
