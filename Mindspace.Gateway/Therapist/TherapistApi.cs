using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.AI;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.Hosting;
using Mindspace.Gateway.Safety;
using Mindspace.Grains.Interfaces.Safety;
using Mindspace.Grains.Interfaces.Therapist;
using OllamaSharp;

namespace Mindspace.Gateway.Therapist;

/// <summary>The companion: <c>/api/v1/therapist</c>, the hub at <c>/hubs/therapist</c>, and the care team's queue.</summary>
public static class TherapistApi
{
    /// <summary>The companion's services: settings, crisis directory, engine, model (when configured), turns.</summary>
    public static WebApplicationBuilder AddMindspaceTherapist(this WebApplicationBuilder builder)
    {
        var settings = TherapistSettings.From(builder.Configuration);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(_ => new CrisisDirectory(CrisisFile.Read(settings.CrisisResourcesFile)));
        builder.Services.AddSingleton<CbtEngine>();
        if (settings.HasModel)
        {
            // Timeouts are ours (first token, idle, total), so the HTTP client never gives up on its own.
            builder.Services.AddSingleton<IChatClient>(_ => new OllamaApiClient(new HttpClient { BaseAddress = settings.OllamaUrl, Timeout = Timeout.InfiniteTimeSpan }, settings.OllamaModel!));
            builder.Services.AddSingleton<ModelReplies>();
        }

        builder.Services.AddSingleton(sp => ActivatorUtilities.CreateInstance<TherapistTurns>(sp, sp.GetService<ModelReplies>() is { } model ? [model] : []));
        return builder;
    }

    public static IEndpointRouteBuilder MapTherapistApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapMemberGroup("/api/v1/therapist", "Therapist");

        api.MapGet("/notice", GetNoticeAsync)
            .WithSummary("What escalation means")
            .WithDescription("Read this to the user before their first conversation; they acknowledge it with POST /notice.");
        api.MapPost("/notice", AcknowledgeNoticeAsync)
            .WithSummary("Acknowledge the escalation notice");

        api.MapPost("/conversations", CreateAsync)
            .WithSummary("Start a conversation")
            .WithDescription("Title optional (at most 120 characters). 409 until the escalation notice is acknowledged. Chat over the hub at /hubs/therapist.");
        api.MapGet("/conversations", ListAsync)
            .WithSummary("Your conversations, most recent activity first");
        api.MapGet("/conversations/{id}/messages", HistoryAsync)
            .WithSummary("A conversation's messages, a page at a time")
            .WithDescription("Newest page first, items oldest first within the page; pass nextCursor back as cursor for older messages. limit 1–100 (default 50).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/conversations/{id}", DeleteAsync)
            .WithSummary("Delete a conversation and everything remembered from it")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/conversations/{id}/messages/{messageId}/save-to-journal", ThoughtRecordJournal.SaveAsync)
            .WithSummary("Save a finished thought record to your journal")
            .WithDescription("messageId is the companion's message that ended the thought record (the live message carries saveToJournal). Creates a thought-record journal entry (201); asking again returns the same entry (200). Nothing is saved unless you call this.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/settings", GetSettingsAsync)
            .WithSummary("Your choices about the companion")
            .WithDescription("journalMemory: whether the companion may draw on your recent journal signals (moods you gave, the tone of the words, kinds, tags; never the words themselves). Off unless you turn it on.");
        api.MapPut("/settings", PutSettingsAsync)
            .WithSummary("Change your choices about the companion")
            .WithDescription("{journalMemory: true|false}. Turning it on is your explicit consent; turn it off at any time.");

        app.MapHub<TherapistHub>(TherapistHub.Path, options =>
        {
            options.CloseOnAuthenticationExpiration = true;
            options.Transports = HttpTransportType.WebSockets | HttpTransportType.ServerSentEvents | HttpTransportType.LongPolling;
        });

        app.MapCareApi();
        return app;
    }

    public static async Task<Ok<NoticeResponse>> GetNoticeAsync(HttpRequest request, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
        => TypedResults.Ok(Notice(request, await grains.GetGrain<ITherapistGrain>(user.GetUserId()).NoticeAcknowledgedAtAsync()));

    public static async Task<Ok<NoticeResponse>> AcknowledgeNoticeAsync(HttpRequest request, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
        => TypedResults.Ok(Notice(request, await grains.GetGrain<ITherapistGrain>(user.GetUserId()).AcknowledgeNoticeAsync()));

    private static NoticeResponse Notice(HttpRequest request, DateTimeOffset? acknowledgedAt)
    {
        var words = EscalationNotice.For(request);
        return new NoticeResponse(TherapistRules.NoticeVersion, words.EscalationNotice, acknowledgedAt, words.Language);
    }

    public static async Task<Ok<CompanionSettings>> GetSettingsAsync(ClaimsPrincipal user, [FromServices] IGrainFactory grains)
        => TypedResults.Ok(await grains.GetGrain<ITherapistGrain>(user.GetUserId()).GetSettingsAsync());

    public static async Task<Results<Ok<CompanionSettings>, ValidationProblem>> PutSettingsAsync(CompanionSettingsRequest? request, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
        => request?.JournalMemory is { } on
            ? TypedResults.Ok(await grains.GetGrain<ITherapistGrain>(user.GetUserId()).SetJournalMemoryAsync(on))
            : FieldErrors.Problem("journalMemory", "Say true or false.");

    public static async Task<Results<Created<ConversationView>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateConversationRequest? request, HttpRequest http, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var title = request?.Title?.Trim() ?? string.Empty;
        if (title.Length > TherapistRules.MaxTitleLength)
        {
            return FieldErrors.Problem("title", $"A title can be at most {TherapistRules.MaxTitleLength} characters.");
        }

        var userId = user.GetUserId();
        var therapist = grains.GetGrain<ITherapistGrain>(userId);
        if (await therapist.NoticeAcknowledgedAtAsync() is null)
        {
            var notice = EscalationNotice.For(http);
            var problem = TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Please read how escalation works first",
                detail: notice.EscalationNotice,
                extensions: new Dictionary<string, object?> { ["acknowledge"] = "POST /api/v1/therapist/notice", ["noticeVersion"] = TherapistRules.NoticeVersion, ["language"] = notice.Language });
            return problem;
        }

        var id = Guid.CreateVersion7();
        var summary = await grains.GetGrain<IConversationGrain>(TherapistRules.ConversationKey(userId, id)).CreateAsync(title.Length == 0 ? "Conversation" : title);
        if (!await therapist.AddConversationAsync(summary))
        {
            await grains.GetGrain<IConversationGrain>(TherapistRules.ConversationKey(userId, id)).DeleteAsync();
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Too many conversations", detail: $"You can keep up to {TherapistRules.MaxConversations} conversations. Delete an old one to start another.");
        }

        return TypedResults.Created($"/api/v1/therapist/conversations/{id}", ConversationView.Of(summary));
    }

    public static async Task<Ok<ConversationListResponse>> ListAsync(ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var list = await grains.GetGrain<ITherapistGrain>(user.GetUserId()).ListConversationsAsync();
        return TypedResults.Ok(new ConversationListResponse([.. list.Select(ConversationView.Of)]));
    }

    public static async Task<Results<Ok<MessagePageResponse>, ValidationProblem, ProblemHttpResult>> HistoryAsync(
        string id, string? cursor, string? limit, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        if (!Guid.TryParse(id, out var conversationId))
        {
            return NotFound();
        }

        var errors = new FieldErrors();
        long? before = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0)
            {
                before = parsed;
            }
            else
            {
                errors.Add("cursor", "This cursor is not valid. Use the nextCursor of the previous page.");
            }
        }

        var size = TherapistRules.DefaultPageSize;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 1 || size > TherapistRules.MaxPageSize))
        {
            errors.Add("limit", $"limit must be a whole number from 1 to {TherapistRules.MaxPageSize}.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var page = await grains.GetGrain<IConversationGrain>(TherapistRules.ConversationKey(user.GetUserId(), conversationId)).HistoryAsync(before, size);
        return page is null
            ? NotFound()
            : TypedResults.Ok(new MessagePageResponse([.. page.Items.Select(m => MessageView.Of(conversationId, m))], page.Before?.ToString(CultureInfo.InvariantCulture)));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        if (!Guid.TryParse(id, out var conversationId))
        {
            return NotFound();
        }

        var userId = user.GetUserId();
        if (!await grains.GetGrain<IConversationGrain>(TherapistRules.ConversationKey(userId, conversationId)).DeleteAsync())
        {
            return NotFound();
        }

        var therapist = grains.GetGrain<ITherapistGrain>(userId);
        await therapist.RemoveConversationAsync(conversationId);
        await therapist.ForgetAsync(conversationId);
        return TypedResults.NoContent();
    }

    /// <summary>Deletes every conversation, memory and setting of the user (DELETE /me).</summary>
    public static async Task EraseAsync(IGrainFactory grains, Guid userId)
    {
        var therapist = grains.GetGrain<ITherapistGrain>(userId);
        foreach (var conversation in await therapist.ListConversationsAsync())
        {
            await grains.GetGrain<IConversationGrain>(TherapistRules.ConversationKey(userId, conversation.Id)).DeleteAsync();
        }

        await therapist.EraseAsync();
        await grains.GetGrain<ISafetyPlanGrain>(userId).EraseAsync();
        await grains.GetGrain<ICareQueueGrain>(0).EraseUserAsync(userId);
    }

    /// <summary>Every conversation with its messages, and the safety plan (GET /me/export).</summary>
    public static async Task<TherapistExport> ExportAsync(IGrainFactory grains, Guid userId)
    {
        var conversations = new List<ConversationExport>();
        foreach (var conversation in await grains.GetGrain<ITherapistGrain>(userId).ListConversationsAsync())
        {
            if (await grains.GetGrain<IConversationGrain>(TherapistRules.ConversationKey(userId, conversation.Id)).ExportAsync() is { } export)
            {
                conversations.Add(export);
            }
        }

        return new TherapistExport(conversations, await grains.GetGrain<ISafetyPlanGrain>(userId).GetAsync(), await grains.GetGrain<ITherapistGrain>(userId).GetSettingsAsync());
    }

    private static ProblemHttpResult NotFound()
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "There is no conversation with this id.");
}

/// <summary>The therapist's part of a data export.</summary>
/// <param name="Settings">The person's choices, journal memory among them.</param>
public sealed record TherapistExport(IReadOnlyList<ConversationExport> Conversations, SafetyPlanView SafetyPlan, CompanionSettings Settings);

/// <summary>Body of <c>PUT /api/v1/therapist/settings</c>.</summary>
public sealed record CompanionSettingsRequest(bool? JournalMemory);
