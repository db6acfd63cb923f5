using System.Globalization;

namespace Mindspace.Grains.Interfaces.CheckIns;

/// <summary>
/// The limits of entries and mood records, and how their fields are normalised. The gateway uses
/// these to answer field-level validation errors; the grain applies them again so nothing invalid is stored.
/// </summary>
/// <remarks>
/// Lengths of text, notes and tags count text elements (what a reader sees as one character: an
/// emoji with skin tone or a letter with combining accents counts once), after trimming white
/// space at both ends. So that a few "characters" cannot hide kilobytes of combining marks, text
/// is also capped at <see cref="MaxTextUtf16Length"/> UTF-16 code units.
/// Each check returns null when the value is fine, or a message that is safe to show the user
/// (it never repeats the value).
/// </remarks>
public static class CheckInRules
{
    public const int MaxTextLength = 2_000;
    public const int MaxTextUtf16Length = 4 * MaxTextLength;
    public const int MinScore = 1;
    public const int MaxScore = 5;
    public const int MaxTags = 10;
    public const int MaxTagLength = 32;
    public const int MaxNoteLength = 500;
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    public const int MaxMoodItems = 1_000;

    /// <summary>Most check-ins one <c>GetSignalsAsync</c> returns (years of several check-ins a day).</summary>
    public const int MaxSignals = 50_000;

    /// <summary>Entry text: required, 1 to <see cref="MaxTextLength"/> characters after trimming; line breaks and tabs allowed.</summary>
    public static string? CheckText(string? text, out string normalized)
    {
        normalized = text?.Trim() ?? string.Empty;
        if (text is null)
        {
            return "Text is required.";
        }

        if (normalized.Length == 0)
        {
            return "Write at least one character.";
        }

        if (normalized.Length > MaxTextUtf16Length || TextLength(normalized) > MaxTextLength)
        {
            return $"Text can be at most {MaxTextLength:N0} characters.";
        }

        return HasForbiddenCharacters(normalized, allowLineBreaks: true)
            ? "Text contains control characters or broken Unicode."
            : null;
    }

    /// <summary>A mood score (entry mood or mood record): <see cref="MinScore"/> to <see cref="MaxScore"/>.</summary>
    public static string? CheckScore(int score)
        => score is < MinScore or > MaxScore ? $"Choose a whole number from {MinScore} to {MaxScore}." : null;

    /// <summary>
    /// Tags: trimmed, lower case (invariant), duplicates dropped (first one kept); each 1 to
    /// <see cref="MaxTagLength"/> characters, at most <see cref="MaxTags"/> distinct ones. Null means none.
    /// </summary>
    public static string? CheckTags(IReadOnlyList<string?>? tags, out IReadOnlyList<string> normalized)
    {
        normalized = [];
        if (tags is null)
        {
            return null;
        }

        var distinct = new List<string>(Math.Min(tags.Count, MaxTags + 1));
        for (var i = 0; i < tags.Count; i++)
        {
            if (CheckTag(tags[i], out var tag) is { } error)
            {
                return $"Tag {i + 1}: {error}";
            }

            if (!distinct.Contains(tag, StringComparer.Ordinal))
            {
                distinct.Add(tag);
            }
        }

        if (distinct.Count > MaxTags)
        {
            return $"Use at most {MaxTags} tags.";
        }

        normalized = distinct;
        return null;
    }

    /// <summary>One tag (also a tag filter): trimmed, lower case, 1 to <see cref="MaxTagLength"/> characters, no control characters.</summary>
    public static string? CheckTag(string? tag, out string normalized)
    {
        normalized = tag?.Trim().ToLowerInvariant() ?? string.Empty;
        if (normalized.Length == 0)
        {
            return "A tag can't be empty.";
        }

        if (normalized.Length > 4 * MaxTagLength || TextLength(normalized) > MaxTagLength)
        {
            return $"A tag can be at most {MaxTagLength} characters.";
        }

        return HasForbiddenCharacters(normalized, allowLineBreaks: false)
            ? "A tag can't contain control characters or broken Unicode."
            : null;
    }

    /// <summary>A mood note: optional, at most <see cref="MaxNoteLength"/> characters after trimming; blank means none.</summary>
    public static string? CheckNote(string? note, out string? normalized)
    {
        normalized = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (normalized is null)
        {
            return null;
        }

        if (normalized.Length > 4 * MaxNoteLength || TextLength(normalized) > MaxNoteLength)
        {
            return $"A note can be at most {MaxNoteLength} characters.";
        }

        return HasForbiddenCharacters(normalized, allowLineBreaks: true)
            ? "The note contains control characters or broken Unicode."
            : null;
    }

    /// <summary>
    /// Length in text elements (grapheme clusters), as <see cref="StringInfo.LengthInTextElements"/> counts them,
    /// without the array of element starts it allocates: every check-in is measured on the gateway and in its grain.
    /// </summary>
    public static int TextLength(string value)
    {
        var count = 0;
        for (var rest = value.AsSpan(); !rest.IsEmpty; rest = rest[StringInfo.GetNextTextElementLength(rest)..])
        {
            count++;
        }

        return count;
    }

    /// <summary>Control characters (except, when allowed, tab and line breaks) and unpaired surrogates.</summary>
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
            else if (char.IsLowSurrogate(c))
            {
                return true;
            }
            else if (char.IsControl(c) && !(allowLineBreaks && c is '\n' or '\r' or '\t'))
            {
                return true;
            }
        }

        return false;
    }
}
