using Mindspace.Grains.Interfaces.CheckIns;

namespace Mindspace.Grains.Interfaces.Journal;

/// <summary>The kinds of journal entry.</summary>
public static class JournalKinds
{
    public const string Free = "free";
    public const string Gratitude = "gratitude";
    public const string ThoughtRecord = "thought-record";

    public static IReadOnlyList<string> All { get; } = [Free, Gratitude, ThoughtRecord];
}

/// <summary>
/// The limits of journal entries and drafts and how their fields are normalised. The gateway uses
/// these to answer field-level errors; the grain applies them again so nothing invalid is stored.
/// Lengths count text elements after trimming (as <see cref="CheckInRules"/> does), with a cap in
/// UTF-16 code units so a few "characters" cannot hide kilobytes of combining marks. Messages never
/// repeat the value.
/// </summary>
public static class JournalRules
{
    public const int MaxBodyLength = 50_000;
    public const int MaxTitleLength = 200;
    public const int MaxFieldLength = 5_000;
    public const int MaxEmotionLength = 100;
    public const int MinIntensity = 0;
    public const int MaxIntensity = 100;
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    public const int MaxSearchLength = 200;
    public const int MaxDrafts = 50;

    /// <summary>
    /// Common thinking traps (Beck; Burns), by id. Names are for people: the gateway lists them at
    /// <c>GET /api/v1/journal/distortions</c>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Distortions { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["all-or-nothing"] = "All-or-nothing thinking",
        ["overgeneralizing"] = "Overgeneralizing",
        ["mental-filter"] = "Mental filter",
        ["discounting-the-positive"] = "Discounting the positive",
        ["mind-reading"] = "Mind reading",
        ["fortune-telling"] = "Fortune telling",
        ["catastrophizing"] = "Catastrophizing",
        ["emotional-reasoning"] = "Emotional reasoning",
        ["should-statements"] = "Should statements",
        ["labeling"] = "Labeling",
        ["personalization"] = "Personalization",
        ["blaming"] = "Blaming",
    };

    public static string? CheckKind(string? kind, out string normalized)
    {
        normalized = kind?.Trim().ToLowerInvariant() ?? JournalKinds.Free;
        return JournalKinds.All.Contains(normalized, StringComparer.Ordinal)
            ? null
            : $"Choose one of: {string.Join(", ", JournalKinds.All)}.";
    }

    /// <summary>A title: optional, at most <see cref="MaxTitleLength"/> characters on one line; blank means none.</summary>
    public static string? CheckTitle(string? title, out string? normalized)
        => CheckOptionalText(title, MaxTitleLength, allowLineBreaks: false, "A title", out normalized);

    /// <summary>
    /// A body: Markdown of at most <see cref="MaxBodyLength"/> characters. Required (non-blank) for a
    /// finished free or gratitude entry; a thought record or a draft may leave it empty.
    /// </summary>
    public static string? CheckBody(string? body, bool required, out string normalized)
    {
        var error = CheckOptionalText(body, MaxBodyLength, allowLineBreaks: true, "The text", out var text);
        normalized = text ?? string.Empty;
        if (error is null && required && text is null)
        {
            return body is null ? "Text is required." : "Write at least one character.";
        }

        return error;
    }

    public static string? CheckMood(int mood) => CheckInRules.CheckScore(mood);

    public static string? CheckTags(IReadOnlyList<string?>? tags, out IReadOnlyList<string> normalized) => CheckInRules.CheckTags(tags, out normalized);

    public static string? CheckIntensity(int intensity)
        => intensity is < MinIntensity or > MaxIntensity ? $"Choose a whole number from {MinIntensity} to {MaxIntensity}." : null;

    /// <summary>
    /// A thought record, field by field (errors keyed by camelCase member name). A finished entry
    /// needs at least the situation and the automatic thought; a draft needs nothing.
    /// </summary>
    public static ThoughtRecord? CheckThoughtRecord(ThoughtRecord? record, bool finished, Action<string, string> error)
    {
        if (record is null)
        {
            if (finished)
            {
                error("thoughtRecord", "A thought record needs at least the situation and the automatic thought.");
            }

            return null;
        }

        var failed = false;
        string? Text(string? value, string field, int max)
        {
            if (CheckOptionalText(value, max, allowLineBreaks: true, "This", out var normalized) is { } message)
            {
                error($"thoughtRecord.{field}", message);
                failed = true;
            }

            return normalized;
        }

        int? Intensity(int? value, string field)
        {
            if (value is { } number && CheckIntensity(number) is { } message)
            {
                error($"thoughtRecord.{field}", message);
                failed = true;
            }

            return value;
        }

        var situation = Text(record.Situation, "situation", MaxFieldLength);
        var thought = Text(record.AutomaticThought, "automaticThought", MaxFieldLength);
        var emotion = Text(record.Emotion, "emotion", MaxEmotionLength);
        if (emotion is not null && emotion.Contains('\n', StringComparison.Ordinal))
        {
            error("thoughtRecord.emotion", "Name the emotion on one line.");
            failed = true;
        }

        var intensity = Intensity(record.Intensity, "intensity");
        var evidenceFor = Text(record.EvidenceFor, "evidenceFor", MaxFieldLength);
        var evidenceAgainst = Text(record.EvidenceAgainst, "evidenceAgainst", MaxFieldLength);
        var balanced = Text(record.BalancedThought, "balancedThought", MaxFieldLength);
        var rerated = Intensity(record.ReratedIntensity, "reratedIntensity");

        var distortions = new List<string>();
        foreach (var distortion in record.Distortions ?? [])
        {
            var id = distortion?.Trim().ToLowerInvariant() ?? string.Empty;
            if (!Distortions.ContainsKey(id))
            {
                error("thoughtRecord.distortions", $"Use ids from the list: {string.Join(", ", Distortions.Keys)}.");
                failed = true;
                break;
            }

            if (!distortions.Contains(id, StringComparer.Ordinal))
            {
                distortions.Add(id);
            }
        }

        if (finished && !failed && (situation is null || thought is null))
        {
            error(situation is null ? "thoughtRecord.situation" : "thoughtRecord.automaticThought", "A thought record needs at least the situation and the automatic thought.");
            failed = true;
        }

        return failed ? null : new ThoughtRecord(situation, thought, emotion, intensity, distortions, evidenceFor, evidenceAgainst, balanced, rerated);
    }

    /// <summary>
    /// Checks and normalises a whole entry (or draft, when <paramref name="finished"/> is false).
    /// Reports every problem through <paramref name="error"/> (camelCase field, message).
    /// </summary>
    /// <returns>The normalised content, or null when anything is wrong.</returns>
    public static JournalContent? Check(
        string? kind, string? title, string? body, int? mood, IReadOnlyList<string?>? tags, ThoughtRecord? thoughtRecord, bool finished, Action<string, string> error)
    {
        var failed = false;
        void Report(string field, string? message)
        {
            if (message is not null)
            {
                error(field, message);
                failed = true;
            }
        }

        Report("kind", CheckKind(kind, out var normalizedKind));
        Report("title", CheckTitle(title, out var normalizedTitle));
        var isThoughtRecord = normalizedKind == JournalKinds.ThoughtRecord;
        Report("body", CheckBody(body, required: finished && !isThoughtRecord, out var normalizedBody));
        if (mood is { } score)
        {
            Report("mood", CheckMood(score));
        }

        Report("tags", CheckTags(tags, out var normalizedTags));
        ThoughtRecord? record = null;
        if (isThoughtRecord)
        {
            record = CheckThoughtRecord(thoughtRecord, finished, (field, message) => Report(field, message));
        }
        else if (thoughtRecord is not null)
        {
            Report("thoughtRecord", "Only a thought-record entry has a thought record.");
        }

        return failed ? null : new JournalContent(normalizedKind, normalizedTitle, normalizedBody, mood, normalizedTags, record);
    }

    /// <summary>A search: 1 to <see cref="MaxSearchLength"/> characters on one line.</summary>
    public static string? CheckSearch(string? text, out string normalized)
    {
        normalized = text?.Trim() ?? string.Empty;
        if (normalized.Length == 0)
        {
            return "Type a word to search for.";
        }

        return normalized.Length > MaxSearchLength || HasForbiddenCharacters(normalized, allowLineBreaks: false)
            ? $"Search for at most {MaxSearchLength} characters on one line."
            : null;
    }

    private static string? CheckOptionalText(string? value, int max, bool allowLineBreaks, string what, out string? normalized)
    {
        normalized = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        if (normalized is null)
        {
            return null;
        }

        if (normalized.Length > 4 * max || CheckInRules.TextLength(normalized) > max)
        {
            return $"{what} can be at most {max:N0} characters.";
        }

        return HasForbiddenCharacters(normalized, allowLineBreaks)
            ? $"{what} contains control characters or broken Unicode."
            : null;
    }

    private static bool HasForbiddenCharacters(string value, bool allowLineBreaks)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return true;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c) || (char.IsControl(c) && !(allowLineBreaks && c is '\n' or '\r' or '\t')))
            {
                return true;
            }
        }

        return false;
    }
}
