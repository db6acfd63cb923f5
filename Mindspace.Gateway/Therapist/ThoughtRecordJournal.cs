using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.Hosting;
using Mindspace.Gateway.Journal;
using Mindspace.Gateway.Therapist.Languages;
using Mindspace.Grains.Interfaces.Journal;
using Mindspace.Grains.Interfaces.Safety;
using Mindspace.Grains.Interfaces.Therapist;

namespace Mindspace.Gateway.Therapist;

/// <summary>
/// Saving a thought record finished with the companion to the journal, as a <c>thought-record</c>
/// entry: only when the person asks (one call), never on its own.
/// </summary>
public static partial class ThoughtRecordJournal
{
    /// <summary>The entry's title in English (<see cref="CompanionCatalog.ThoughtRecordTitle"/> has it in each language).</summary>
    public static string Title => CompanionCatalogs.English.ThoughtRecordTitle;

    /// <summary>
    /// The language of a finished thought record, for its journal title: that of the person's own answers (the
    /// conversation's language when it was written), English when they give no evidence.
    /// </summary>
    public static CompanionCatalog LanguageOf(IReadOnlyDictionary<string, string> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        return CompanionCatalogs.For(CompanionCatalogs.LanguageOf(string.Join(' ', answers.Values), []));
    }

    /// <summary>Where the person saves the thought record that ended with this message.</summary>
    public static string SavePath(Guid conversationId, Guid messageId) => $"/api/v1/therapist/conversations/{conversationId:D}/messages/{messageId:D}/save-to-journal";

    /// <summary>The flow's answers as a journal thought record (the intensities are the first whole number 0–100 in their answers).</summary>
    public static ThoughtRecord ToRecord(IReadOnlyDictionary<string, string> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        string? Answer(string key) => answers.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
        var emotion = Answer("emotion");
        var feeling = emotion is null ? null : Number().Replace(emotion, string.Empty).Trim(' ', ',', '.', '-', '/', '–', '—', '%');
        if (feeling is { Length: > JournalRules.MaxEmotionLength })
        {
            feeling = feeling[..JournalRules.MaxEmotionLength].Trim();
        }

        return new ThoughtRecord(
            Situation: Answer("situation"),
            AutomaticThought: Answer("thought"),
            Emotion: string.IsNullOrEmpty(feeling) ? null : feeling,
            Intensity: Intensity(emotion),
            EvidenceFor: Answer("evidence-for"),
            EvidenceAgainst: Answer("evidence-against"),
            BalancedThought: Answer("balanced"),
            ReratedIntensity: Intensity(Answer("rerate")));
    }

    /// <summary>
    /// <c>POST /api/v1/therapist/conversations/{id}/messages/{messageId}/save-to-journal</c>: 201 with
    /// the new journal entry; 200 with it when this record was saved before and the entry is still
    /// there; 404 when the message did not end a thought record of this user's conversation.
    /// </summary>
    public static async Task<Results<Created<JournalEntryResponse>, Ok<JournalEntryResponse>, ValidationProblem, ProblemHttpResult>> SaveAsync(
        string id, string messageId, ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromServices] CrisisDirectory directory)
    {
        if (!Guid.TryParse(id, out var conversationId) || !Guid.TryParse(messageId, out var message))
        {
            return NotFound();
        }

        var userId = user.GetUserId();
        var conversation = grains.GetGrain<IConversationGrain>(TherapistRules.ConversationKey(userId, conversationId));
        if (await conversation.GetThoughtRecordAsync(message) is not { } finished)
        {
            return NotFound();
        }

        var journal = grains.GetGrain<IJournalGrain>(userId);
        if (finished.JournalEntryId is { } saved && await journal.GetAsync(saved, CancellationToken.None) is { Unreadable: false } existing)
        {
            return TypedResults.Ok(await JournalApi.WithSupportAsync(existing, user, grains, directory));
        }

        var errors = new FieldErrors();
        var content = JournalRules.Check(JournalKinds.ThoughtRecord, LanguageOf(finished.Answers).ThoughtRecordTitle, null, null, [], ToRecord(finished.Answers), finished: true, errors.Add);
        if (errors.Any || content is null)
        {
            return errors.ToProblem();
        }

        var created = await journal.CreateAsync(content, null);
        await conversation.MarkThoughtRecordSavedAsync(message, created.Id);
        return TypedResults.Created($"/api/v1/journal/{created.Id}", await JournalApi.WithSupportAsync(created, user, grains, directory));
    }

    /// <summary>The first whole number 0–100 in <paramref name="answer"/>, in any script's digits ("80", "८०").</summary>
    private static int? Intensity(string? answer)
    {
        if (answer is null || Number().Match(answer) is not { Success: true } match)
        {
            return null;
        }

        var value = 0;
        foreach (var digit in match.ValueSpan)
        {
            value = (value * 10) + (int)char.GetNumericValue(digit);
        }

        return value is >= JournalRules.MinIntensity and <= JournalRules.MaxIntensity ? value : null;
    }

    private static ProblemHttpResult NotFound()
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "There is no finished thought record with this message id in this conversation.");

    [GeneratedRegex(@"\d{1,3}")]
    private static partial Regex Number();
}
