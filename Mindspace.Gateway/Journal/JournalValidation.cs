using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces.Journal;

namespace Mindspace.Gateway.Journal;

/// <summary>Turns a merge patch into a grain patch, or field errors; the grain checks the merged entry as a whole.</summary>
internal static class JournalValidation
{
    public static JournalPatch? ToPatch(JournalPatchRequest request, FieldErrors errors)
    {
        string? kind = null;
        if (request.Kind.IsSet)
        {
            errors.Add("kind", request.Kind.Value is null ? "Kind can't be removed; choose one instead." : JournalRules.CheckKind(request.Kind.Value, out kind));
        }

        string? title = null;
        if (request.Title.IsSet)
        {
            errors.Add("title", JournalRules.CheckTitle(request.Title.Value, out title));
        }

        string? body = null;
        if (request.Body.IsSet)
        {
            // Emptiness is judged on the merged entry (a thought record may have no body).
            errors.Add("body", JournalRules.CheckBody(request.Body.Value, required: false, out var normalized));
            body = normalized;
        }

        if (request.Mood is { IsSet: true, Value: { } mood })
        {
            errors.Add("mood", JournalRules.CheckMood(mood));
        }

        IReadOnlyList<string>? tags = null;
        if (request.Tags.IsSet)
        {
            errors.Add("tags", JournalRules.CheckTags(request.Tags.Value, out var normalized));
            tags = normalized;
        }

        ThoughtRecord? thoughtRecord = null;
        if (request.ThoughtRecord is { IsSet: true, Value: { } record })
        {
            thoughtRecord = JournalRules.CheckThoughtRecord(record, finished: false, errors.Add);
        }

        return errors.Any
            ? null
            : new JournalPatch(kind, request.Title.IsSet, title, body, request.Mood.IsSet, request.Mood.Value, tags, request.ThoughtRecord.IsSet, thoughtRecord);
    }
}
