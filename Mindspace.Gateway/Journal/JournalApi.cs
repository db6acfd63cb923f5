using System.Buffers.Text;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.CheckIns;
using Mindspace.Gateway.Hosting;
using Mindspace.Gateway.Safety;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.CheckIns;
using Mindspace.Grains.Interfaces.Journal;
using Mindspace.Grains.Interfaces.Safety;
using NodaTime;

namespace Mindspace.Gateway.Journal;

/// <summary>
/// The private journal: <c>/api/v1/journal</c>. Each user's entries live in their own journal
/// grain, sealed with their own key, so an id of someone else's entry is simply not found (404).
/// </summary>
public static class JournalApi
{
    /// <summary>A full entry is up to 50,000 characters plus a thought record: up to 4 bytes each in UTF-8, escaped in JSON.</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>How far back prompts look at moods.</summary>
    private static readonly TimeSpan RecentMoodWindow = TimeSpan.FromDays(3);

    public static RouteGroupBuilder MapJournalApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapMemberGroup("/api/v1/journal", "Journal")
            .AddEndpointFilter(KeyUnavailableFilterAsync);
        var bodyLimit = new RequestSizeLimitAttribute(MaxRequestBodyBytes);

        api.MapPost("", CreateAsync)
            .WithMetadata(bodyLimit)
            .WithName("CreateJournalEntry")
            .WithSummary("Write a journal entry")
            .WithDescription("kind free (default), gratitude or thought-record; optional title (200 characters); Markdown body up to 50,000 characters (required except for a thought record); your own mood 1–5 (optional; it always wins over the suggested mood); up to 10 tags; for a thought record, thoughtRecord with at least situation and automaticThought. draftId removes that draft once saved. Title, body and thought record are encrypted at rest.");

        api.MapGet("", ListAsync)
            .WithName("ListJournalEntries")
            .WithSummary("List entries newest first, or search them")
            .WithDescription("Without q: pages of limit (1–100, default 20) entries, newest first; filter with tag or kind; pass nextCursor back as cursor. With q: entries ranked by relevance (BM25), case and accents ignored, words also match their beginnings; each hit has an HTML-escaped snippet with matches in <mark>.");

        api.MapGet("/prompts", GetPromptsAsync)
            .WithName("GetJournalPrompts")
            .WithSummary("Gentle writing prompts for now")
            .WithDescription("Three prompts chosen by how your recent entries felt and the time of day where you are.");

        api.MapGet("/distortions", GetDistortions)
            .WithName("ListThinkingTraps")
            .WithSummary("The thinking traps a thought record can name");

        api.MapGet("/drafts", ListDraftsAsync)
            .WithName("ListJournalDrafts")
            .WithSummary("Your drafts, most recently saved first");

        api.MapGet("/drafts/{id}", GetDraftAsync)
            .WithName("GetJournalDraft")
            .WithSummary("Read a draft")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPut("/drafts/{id}", SaveDraftAsync)
            .WithMetadata(bodyLimit)
            .WithName("SaveJournalDraft")
            .WithSummary("Autosave a draft")
            .WithDescription("Creates or replaces the draft with this id (a UUID chosen by the app). Same fields as an entry, none required; limits still apply. At most 50 drafts.");

        api.MapDelete("/drafts/{id}", DeleteDraftAsync)
            .WithName("DeleteJournalDraft")
            .WithSummary("Delete a draft")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/{id}", GetAsync)
            .WithName("GetJournalEntry")
            .WithSummary("Read one entry")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPatch("/{id}", UpdateAsync)
            .WithMetadata(bodyLimit)
            .WithName("UpdateJournalEntry")
            .WithSummary("Edit an entry")
            .WithDescription("JSON merge patch: members you leave out stay as they are; title, mood and thoughtRecord can be cleared with null; tags replaces the tags.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapDelete("/{id}", DeleteAsync)
            .WithName("DeleteJournalEntry")
            .WithSummary("Delete an entry")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    public static async Task<Results<Created<JournalEntryResponse>, ValidationProblem>> CreateAsync(
        JournalEntryRequest request, ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromServices] CrisisDirectory directory)
    {
        var errors = new FieldErrors();
        var content = JournalRules.Check(request.Kind, request.Title, request.Body, request.Mood, request.Tags, request.ThoughtRecord, finished: true, errors.Add);
        Guid? draftId = null;
        if (request.DraftId is not null)
        {
            if (Guid.TryParse(request.DraftId, out var parsed))
            {
                draftId = parsed;
            }
            else
            {
                errors.Add("draftId", "Use the id of one of your drafts.");
            }
        }

        if (errors.Any || content is null)
        {
            return errors.ToProblem();
        }

        var created = await grains.Journal(user).CreateAsync(content, draftId);
        return TypedResults.Created($"/api/v1/journal/{created.Id}", await WithSupportAsync(created, user, grains, directory));
    }

    public static async Task<Results<Ok<JournalListResponse>, Ok<JournalSearchResponse>, ValidationProblem>> ListAsync(
        [AsParameters] JournalListQuery query, ClaimsPrincipal user, [FromServices] IGrainFactory grains, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var limit = CheckInValidation.ParseLimit(query.Limit, errors);
        if (query.Q is not null)
        {
            errors.Add("q", JournalRules.CheckSearch(query.Q, out var text));
            var offset = 0;
            if (!string.IsNullOrEmpty(query.Cursor) && !SearchCursor.TryDecode(query.Cursor, out offset))
            {
                errors.Add("cursor", "This cursor is not valid. Use the nextCursor of the previous page.");
            }

            if (query.Tag is not null || query.Kind is not null)
            {
                errors.Add("q", "Search looks at every entry; leave out tag and kind when searching.");
            }

            if (errors.Any)
            {
                return errors.ToProblem();
            }

            var found = await grains.Journal(user).SearchAsync(new JournalSearch(text, offset, limit), cancellationToken);
            return TypedResults.Ok(new JournalSearchResponse(
                text,
                [.. found.Items.Select(h => new JournalSearchHit(JournalEntryResponse.From(h.Entry), h.Score, h.Snippet))],
                found.Total,
                found.NextOffset is { } next ? SearchCursor.Encode(next) : null));
        }

        var after = CheckInValidation.ParseCursor(query.Cursor, errors);

        var tag = CheckInValidation.ParseTag(query.Tag, errors);
        string? kind = null;
        if (!string.IsNullOrEmpty(query.Kind))
        {
            errors.Add("kind", JournalRules.CheckKind(query.Kind, out var normalizedKind));
            kind = normalizedKind;
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var page = await grains.Journal(user).ListAsync(new JournalQuery(after, limit, tag, kind), cancellationToken);
        return TypedResults.Ok(new JournalListResponse(
            [.. page.Items.Select(JournalEntryResponse.From)],
            page.Next is { } nextId ? EntryCursor.Encode(nextId) : null));
    }

    public static async Task<Results<Ok<JournalEntryResponse>, ProblemHttpResult>> GetAsync(
        string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var entryId) || await grains.Journal(user).GetAsync(entryId, cancellationToken) is not { } entry)
        {
            return EntryNotFound();
        }

        return entry.Unreadable ? EntryUnreadable() : TypedResults.Ok(JournalEntryResponse.From(entry));
    }

    public static async Task<Results<Ok<JournalEntryResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string id, JournalPatchRequest request, ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromServices] CrisisDirectory directory)
    {
        if (!Guid.TryParse(id, out var entryId))
        {
            return EntryNotFound();
        }

        var errors = new FieldErrors();
        if (JournalValidation.ToPatch(request, errors) is not { } patch)
        {
            return errors.ToProblem();
        }

        var change = await grains.Journal(user).UpdateAsync(entryId, patch);
        return change switch
        {
            { Status: JournalChangeStatus.Changed, Entry: { } entry } => TypedResults.Ok(await WithSupportAsync(entry, user, grains, directory)),
            { Status: JournalChangeStatus.Invalid, Errors: { } fieldErrors } => FieldErrors.Problem(new Dictionary<string, string[]>(fieldErrors)),
            { Status: JournalChangeStatus.Unreadable } => EntryUnreadable(),
            _ => EntryNotFound(),
        };
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
        => Guid.TryParse(id, out var entryId) && await grains.Journal(user).DeleteAsync(entryId) ? TypedResults.NoContent() : EntryNotFound();

    public static async Task<Ok<JournalPromptsResponse>> GetPromptsAsync(
        ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var zone = await CheckInUser.TimeZoneAsync(grains, user);
        var recent = await grains.Journal(user).GetRecentMoodAsync(now - RecentMoodWindow, cancellationToken);
        return TypedResults.Ok(JournalPrompts.Choose(recent, Instant.FromDateTimeOffset(now).InZone(zone)));
    }

    public static Ok<IReadOnlyList<DistortionResponse>> GetDistortions()
        => TypedResults.Ok<IReadOnlyList<DistortionResponse>>([.. JournalRules.Distortions.Select(d => new DistortionResponse(d.Key, d.Value))]);

    public static async Task<Ok<IReadOnlyList<JournalDraftResponse>>> ListDraftsAsync(ClaimsPrincipal user, [FromServices] IGrainFactory grains, CancellationToken cancellationToken)
    {
        var drafts = await grains.Journal(user).ListDraftsAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<JournalDraftResponse>>([.. drafts.Select(JournalDraftResponse.From)]);
    }

    public static async Task<Results<Ok<JournalDraftResponse>, ProblemHttpResult>> GetDraftAsync(
        string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var draftId) || await grains.Journal(user).GetDraftAsync(draftId, cancellationToken) is not { } draft)
        {
            return DraftNotFound();
        }

        return draft.Unreadable ? EntryUnreadable() : TypedResults.Ok(JournalDraftResponse.From(draft));
    }

    public static async Task<Results<Ok<JournalDraftResponse>, ValidationProblem, ProblemHttpResult>> SaveDraftAsync(
        string id, JournalEntryRequest request, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var errors = new FieldErrors();
        if (!Guid.TryParse(id, out var draftId))
        {
            errors.Add("id", "Use a UUID as the draft id.");
        }

        if (request.DraftId is not null)
        {
            errors.Add("draftId", "A draft has no draftId; its id is in the address.");
        }

        var content = JournalRules.Check(request.Kind, request.Title, request.Body, request.Mood, request.Tags, request.ThoughtRecord, finished: false, errors.Add);
        if (errors.Any || content is null)
        {
            return errors.ToProblem();
        }

        return await grains.Journal(user).SaveDraftAsync(draftId, content) is { } saved
            ? TypedResults.Ok(JournalDraftResponse.From(saved))
            : TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Too many drafts",
                detail: $"You have {JournalRules.MaxDrafts} drafts already. Finish or delete one to start another.");
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteDraftAsync(string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
        => Guid.TryParse(id, out var draftId) && await grains.Journal(user).DeleteDraftAsync(draftId) ? TypedResults.NoContent() : DraftNotFound();

    /// <summary>A journal whose key the configured master key cannot open is a 503 that says so plainly (the log has the key id).</summary>
    private static async ValueTask<object?> KeyUnavailableFilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (JournalUnavailableException exception)
        {
            JournalApiLog.KeyUnavailable(context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(JournalApi)), exception.Message);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Your journal is unavailable just now",
                detail: "Mindspace can't open your journal at the moment because of a problem on our side. Nothing has been lost or changed. Please try again later.");
        }
    }

    /// <summary>
    /// The entry as written, with <see cref="SupportResponse"/> when its words read as high or
    /// imminent risk (docs/journal.md, "When an entry reads as a crisis"). The text is graded here,
    /// in memory, and neither the text nor the grade is stored or logged; the care team is not told.
    /// </summary>
    internal static async Task<JournalEntryResponse> WithSupportAsync(JournalEntryView entry, ClaimsPrincipal user, IGrainFactory grains, CrisisDirectory directory)
    {
        var response = JournalEntryResponse.From(entry);
        var record = entry.ThoughtRecord;
        string?[] parts = [entry.Title, entry.Body, record?.Situation, record?.AutomaticThought, record?.Emotion, record?.EvidenceFor, record?.EvidenceAgainst, record?.BalancedThought];
        return await PrivateWritingSupport.ForAsync(parts, user.GetUserId(), grains, directory) is { } support
            ? response with { Support = support }
            : response;
    }

    private static IJournalGrain Journal(this IGrainFactory grains, ClaimsPrincipal user) => grains.GetGrain<IJournalGrain>(user.GetUserId());

    private static ProblemHttpResult EntryNotFound()
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "There is no journal entry with this id.");

    private static ProblemHttpResult DraftNotFound()
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "There is no draft with this id.");

    /// <summary>409: the entry exists but its stored text failed its integrity check, so none of it is shown.</summary>
    private static ProblemHttpResult EntryUnreadable()
        => TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "This entry can't be opened",
            detail: "Its stored text did not pass our integrity check, so we won't show it: it may have been damaged or changed outside Mindspace. Your other entries are not affected. You can delete this one.",
            type: "https://mindspace.example/problems/journal-entry-unreadable");

    /// <summary>Search pages continue at an offset: base64url of "search:" and the offset.</summary>
    private static class SearchCursor
    {
        private const string Prefix = "search:";

        public static string Encode(int offset) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Prefix + offset.ToString(CultureInfo.InvariantCulture)));

        public static bool TryDecode(string cursor, out int offset)
        {
            offset = 0;
            if (cursor.Length > 40 || !Base64Url.IsValid(cursor))
            {
                return false;
            }

            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            return text.StartsWith(Prefix, StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out offset)
                && offset <= 100_000
                && Encode(offset) == cursor;
        }
    }
}

internal static partial class JournalApiLog
{
    [LoggerMessage(EventId = 9101, Level = LogLevel.Error, Message = "A journal could not be opened: {Reason}")]
    public static partial void KeyUnavailable(ILogger logger, string reason);
}
