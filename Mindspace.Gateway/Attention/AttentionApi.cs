using System.Security.Claims;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.CheckIns;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Attention;
using Mindspace.Grains.Interfaces.Focus;
using NodaTime;

namespace Mindspace.Gateway.Attention;

/// <summary>Query of <c>GET /api/v1/attention/summary</c>.</summary>
public sealed record AttentionSummaryRequest(string? From, string? To, string? By);

/// <summary>A summary, with the times the user chose not to open something (celebrated, never counted against them).</summary>
public sealed record AttentionSummaryResponse(AttentionSummary Summary, int ChoseNotToOpen, string? Celebration);

/// <summary>Body of <c>PATCH /api/v1/attention/settings</c>; absent members stay as they are.</summary>
/// <param name="Categories">Site → "focus" | "neutral" | "distracting", or null to return it to its default.</param>
public sealed record AttentionSettingsRequest(bool? KeepPathsAndTitles, Dictionary<string, string?>? Categories);

/// <summary>
/// Attention: <c>/api/v1/attention</c> (ticks, summary, settings) and the <c>/hubs/attention</c> hub.
/// Ticks are validated as a whole batch: one bad tick and nothing is stored.
/// </summary>
public static class AttentionApi
{
    /// <summary>
    /// A full batch (500 ticks with long titles and paths) is larger than the gateway's default body
    /// limit; tick requests and hub messages get this one.
    /// </summary>
    public const long MaxTickBatchBytes = 1024 * 1024;

    /// <summary>The attention hub's message size (a full batch of ticks).</summary>
    public static IServiceCollection AddMindspaceAttention(this IServiceCollection services)
    {
        services.AddSignalR().AddHubOptions<AttentionHub>(options => options.MaximumReceiveMessageSize = MaxTickBatchBytes);

        // Focus-session changes reach the user's hub connections on every gateway (one grain observer per process).
        services.AddObserverRelay<FocusSessionRelay>();
        return services;
    }

    public static IEndpointRouteBuilder MapAttentionApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapMemberGroup("/api/v1/attention", "Attention");

        api.MapPost("/ticks", PostTicksAsync)
            .WithName("PostAttentionTicks")
            .WithSummary("Send a batch of attention ticks")
            .WithDescription("Up to 500 ticks `{id, ts, site, path?, title?, focused, idle, audible, durationSec, incognito?, sessionId?}`. A tick id counts once. Only the site's registrable domain is kept unless you opted in to paths and titles; incognito ticks are dropped unread. Any invalid tick rejects the whole batch (400) and nothing is stored. What is acknowledged is stored.")
            .WithMetadata(new RequestSizeLimitAttribute(MaxTickBatchBytes))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        api.MapGet("/summary", GetSummaryAsync)
            .WithName("GetAttentionSummary")
            .WithSummary("Where your attention went")
            .WithDescription("`from`/`to`: an instant, or a date in your time zone (default: today). `by`: site (default), category, hour or day — hours and days are yours, in your time zone.");

        api.MapGet("/settings", GetSettingsAsync)
            .WithName("GetAttentionSettings")
            .WithSummary("Your attention settings and your own site categories");

        api.MapPatch("/settings", UpdateSettingsAsync)
            .WithName("UpdateAttentionSettings")
            .WithSummary("Opt in or out of keeping paths and titles; recategorise sites");

        app.MapHub<AttentionHub>(AttentionHub.Path, options =>
        {
            options.CloseOnAuthenticationExpiration = true;
            options.Transports = HttpTransportType.WebSockets | HttpTransportType.ServerSentEvents | HttpTransportType.LongPolling;
        });

        return app;
    }

    public static async Task<Results<Ok<TickBatchResponse>, ValidationProblem, ProblemHttpResult>> PostTicksAsync(
        TickBatchRequest request, ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock)
    {
        var (status, response, errors) = await new AttentionIntake(grains, clock).AcceptAsync(user.GetUserId(), request);
        return status switch
        {
            IntakeStatus.Stored => TypedResults.Ok(response),
            IntakeStatus.Invalid => errors.ToProblem(),
            _ => UnknownSession(),
        };
    }

    public static async Task<Results<Ok<AttentionSummaryResponse>, ValidationProblem>> GetSummaryAsync(
        [AsParameters] AttentionSummaryRequest query, ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock)
    {
        var errors = new FieldErrors();
        var by = string.IsNullOrEmpty(query.By) ? AttentionRules.BySite : query.By;
        errors.Add("by", AttentionRules.Groupings.Contains(by) ? null : "by is site, category, hour or day.");
        var zone = await CheckInUser.TimeZoneAsync(grains, user);
        var (from, to) = await CheckInTimeRange.ParseAsync(query.From, query.To, () => Task.FromResult(zone), errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var today = Instant.FromDateTimeOffset(clock.GetUtcNow()).InZone(zone).Date;
        var start = from ?? zone.AtStartOfDay(today).ToDateTimeOffset();
        var end = to ?? (from is null ? zone.AtStartOfDay(today.PlusDays(1)).ToDateTimeOffset() : start.AddDays(1));
        if (end <= start)
        {
            return FieldErrors.Problem("to", "to must come after from.");
        }

        if (end - start > AttentionRules.MaxSummaryRange)
        {
            return FieldErrors.Problem("to", "A summary covers at most 92 days.");
        }

        var userId = user.GetUserId();
        var summary = await grains.GetGrain<IAttentionGrain>(userId).SummarizeAsync(new AttentionSummaryQuery(start, end, zone.Id, by));
        var dismissed = await grains.GetGrain<IFocusGrain>(userId).CountDismissalsAsync(start, end);
        var celebration = dismissed switch
        {
            0 => null,
            1 => "Once in this time you chose not to open something. That was you, taking your attention back.",
            _ => $"{dismissed} times in this time you chose not to open something. That was you, taking your attention back.",
        };
        return TypedResults.Ok(new AttentionSummaryResponse(summary, dismissed, celebration));
    }

    public static async Task<Ok<AttentionSettings>> GetSettingsAsync(ClaimsPrincipal user, [FromServices] IGrainFactory grains)
        => TypedResults.Ok(await grains.GetGrain<IAttentionGrain>(user.GetUserId()).GetSettingsAsync());

    public static async Task<Results<Ok<AttentionSettings>, ValidationProblem>> UpdateSettingsAsync(
        AttentionSettingsRequest request, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var errors = new FieldErrors();
        Dictionary<string, string?>? categories = null;
        if (request.Categories is not null)
        {
            categories = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var (site, category) in request.Categories)
            {
                if (Sites.ToSite(site) is not { } normalized)
                {
                    errors.Add($"categories.{site}", "This is not a site name such as example.com.");
                }
                else if (category is not null && !SiteCategories.IsCategory(category))
                {
                    errors.Add($"categories.{site}", "A category is focus, neutral or distracting (or null for the default).");
                }
                else
                {
                    categories[normalized] = category;
                }
            }

            errors.Add("categories", categories.Count > 1_000 ? "At most 1,000 sites at a time." : null);
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        try
        {
            return TypedResults.Ok(await grains.GetGrain<IAttentionGrain>(user.GetUserId()).UpdateSettingsAsync(new AttentionSettingsPatch(request.KeepPathsAndTitles, categories)));
        }
        catch (ArgumentException error)
        {
            return FieldErrors.Problem(error.ParamName ?? "categories", error.Message.Split(" (Parameter", 2)[0]);
        }
    }

    internal static ProblemHttpResult UnknownSession()
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "A tick names a focus session that is not one of yours. Nothing was stored.");
}
