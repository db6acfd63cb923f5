using System.Globalization;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces.CheckIns;

namespace Mindspace.Gateway.CheckIns;

/// <summary>Turns request bodies into grain contracts, or into field errors, with <see cref="CheckInRules"/>.</summary>
internal static class CheckInValidation
{
    public static NewEntry? ToNewEntry(CreateEntryRequest request, FieldErrors errors)
    {
        errors.Add("text", CheckInRules.CheckText(request.Text, out var text));
        if (request.Mood is { } mood)
        {
            errors.Add("mood", CheckInRules.CheckScore(mood));
        }

        errors.Add("tags", CheckInRules.CheckTags(request.Tags, out var tags));
        return errors.Any ? null : new NewEntry(text, request.Mood, tags);
    }

    public static EntryPatch? ToEntryPatch(UpdateEntryRequest request, FieldErrors errors)
    {
        string? text = null;
        if (request.Text.IsSet)
        {
            errors.Add("text", request.Text.Value is null ? "Text can't be removed; send new text instead." : CheckInRules.CheckText(request.Text.Value, out text));
        }

        if (request.Mood is { IsSet: true, Value: { } mood })
        {
            errors.Add("mood", CheckInRules.CheckScore(mood));
        }

        IReadOnlyList<string>? tags = null;
        if (request.Tags.IsSet)
        {
            errors.Add("tags", CheckInRules.CheckTags(request.Tags.Value, out var normalized));
            tags = normalized;
        }

        return errors.Any ? null : new EntryPatch(text, request.Mood.IsSet, request.Mood.Value, tags);
    }

    public static NewMood? ToNewMood(RecordMoodRequest request, FieldErrors errors)
    {
        errors.Add("score", request.Score is { } score ? CheckInRules.CheckScore(score) : "Score is required.");
        errors.Add("tags", CheckInRules.CheckTags(request.Tags, out var tags));
        errors.Add("note", CheckInRules.CheckNote(request.Note, out var note));
        return errors.Any ? null : new NewMood(request.Score!.Value, tags, note);
    }

    /// <summary>A page size: absent means the default; otherwise a whole number in range.</summary>
    public static int ParseLimit(string? value, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return CheckInRules.DefaultPageSize;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= CheckInRules.MaxPageSize)
        {
            return limit;
        }

        errors.Add("limit", $"Choose a page size from 1 to {CheckInRules.MaxPageSize}.");
        return CheckInRules.DefaultPageSize;
    }

    /// <summary>A tag filter, normalised like a tag; absent or empty means no filter.</summary>
    public static string? ParseTag(string? value, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        errors.Add("tag", CheckInRules.CheckTag(value, out var tag));
        return tag;
    }

    /// <summary>A page cursor (the id of the last item of the previous page); absent means the first page.</summary>
    public static Guid? ParseCursor(string? value, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (EntryCursor.TryDecode(value, out var lastId))
        {
            return lastId;
        }

        errors.Add("cursor", "This cursor is not valid. Use the nextCursor of the previous page.");
        return null;
    }
}
