using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Mindspace.Gateway.Attention;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Attention;
using Mindspace.Grains.Interfaces.Focus;
using Mindspace.Grains.Interfaces.Users;

namespace Mindspace.Gateway.Focus;

/// <summary>
/// Friction and focus: <c>/api/v1/focus</c> — rule sets, decisions, unlocks, dismissals and focus
/// sessions. Everything is decided in the user's focus grain, so every browser gets the same answer.
/// The focus grain pushes session changes to the user's <c>/hubs/attention</c> connections on every gateway (<c>focusSession</c>).
/// </summary>
public static class FocusApi
{
    public static IEndpointRouteBuilder MapFocusApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapMemberGroup("/api/v1/focus", "Focus");

        api.MapPost("/rules", CreateRuleAsync).WithName("CreateFocusRule").WithSummary("Create a rule set")
            .WithDescription("Sites (example.com, *.example.com, optionally with a path prefix), allow exceptions, a schedule (days and local HH:mm ranges), a limit (minutes per hour or day), an action (pause with pauseSeconds, block, or allow) and an optional lockedUntil: until then the rule can only get stricter.");
        api.MapGet("/rules", ListRulesAsync).WithName("ListFocusRules").WithSummary("Your rule sets");
        api.MapGet("/rules/{id}", GetRuleAsync).WithName("GetFocusRule").WithSummary("One rule set").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPatch("/rules/{id}", UpdateRuleAsync).WithName("UpdateFocusRule").WithSummary("Edit a rule set (JSON merge patch)")
            .WithDescription("A locked rule accepts only edits that make it stricter (409 otherwise).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapDelete("/rules/{id}", DeleteRuleAsync).WithName("DeleteFocusRule").WithSummary("Delete a rule set (not while locked)")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/decision", DecideAsync).WithName("GetFocusDecision").WithSummary("What to do with an address")
            .WithDescription("`url`: an http(s) address. Answers `{action: allow|pause|block, delaySeconds, ruleId, reason, usedTodayMinutes, attemptsToday}`.");
        api.MapGet("/friction", GetFrictionAsync).WithName("GetFocusFriction").WithSummary("The friction in force now, for a browser to apply before a request leaves")
            .WithDescription("Answers `{at, armed: [{ruleId, action, sites, allow}], unlocks: [{site, until}], until}`: the rule sets whose schedule is on and whose limit (if any) is reached, the running focus session's distracting sites (ruleId null), live unlocks, and the next instant this may change by itself (ask again then). The decision endpoint still decides each address.");
        api.MapPost("/unlock", UnlockAsync).WithName("UnlockSite").WithSummary("Let a site through for a while, on every device")
            .WithDescription("`{site, minutes (1–120), reason}`. Unlocks per day are capped (settings); a site under a locked rule cannot be unlocked.")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status429TooManyRequests);
        api.MapPost("/dismiss", DismissAsync).WithName("DismissSite").WithSummary("I chose not to open it");
        api.MapGet("/settings", GetSettingsAsync).WithName("GetFocusSettings").WithSummary("Friction settings");
        api.MapPatch("/settings", UpdateSettingsAsync).WithName("UpdateFocusSettings").WithSummary("Change how many unlocks a day you allow yourself");

        api.MapPost("/sessions", StartSessionAsync).WithName("StartFocusSession").WithSummary("Start a focus session")
            .WithDescription("`{plannedMinutes (1–480), strictness: gentle|firm|strict}`. While it runs, distracting sites get a pause (gentle 10 s, firm 30 s) or are blocked (strict).")
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/sessions", ListSessionsAsync).WithName("ListFocusSessions").WithSummary("Your focus sessions, newest first");
        api.MapGet("/sessions/current", GetCurrentSessionAsync).WithName("GetCurrentFocusSession").WithSummary("The session that is on, or 204");
        api.MapGet("/sessions/{id}", GetSessionAsync).WithName("GetFocusSession").WithSummary("One session with its report").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/sessions/{id}/pause", (string id, ClaimsPrincipal user, IGrainFactory grains)
            => ChangeSessionAsync(id, user, grains, (focus, sessionId) => focus.PauseSessionAsync(sessionId)))
            .WithName("PauseFocusSession").WithSummary("Pause a session").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/sessions/{id}/resume", (string id, ClaimsPrincipal user, IGrainFactory grains)
            => ChangeSessionAsync(id, user, grains, (focus, sessionId) => focus.ResumeSessionAsync(sessionId)))
            .WithName("ResumeFocusSession").WithSummary("Resume a paused session").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/sessions/{id}/end", (string id, ClaimsPrincipal user, IGrainFactory grains)
            => ChangeSessionAsync(id, user, grains, (focus, sessionId) => focus.EndSessionAsync(sessionId)))
            .WithName("EndFocusSession").WithSummary("End a session and get its report").ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    public static async Task<Results<Created<FocusRule>, ValidationProblem>> CreateRuleAsync(
        CreateRuleRequest request, ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock)
    {
        var errors = new FieldErrors();
        if (FocusValidation.ToDraft(request, clock.GetUtcNow(), errors) is not { } draft)
        {
            return errors.ToProblem();
        }

        var focus = Focus(grains, user);
        if ((await focus.GetRulesAsync()).Count >= FocusRules.MaxRules)
        {
            return FieldErrors.Problem("rules", $"You can have up to {FocusRules.MaxRules} rule sets.");
        }

        var rule = await focus.CreateRuleAsync(draft);
        return TypedResults.Created($"/api/v1/focus/rules/{rule.Id}", rule);
    }

    public static async Task<Ok<IReadOnlyList<FocusRule>>> ListRulesAsync(ClaimsPrincipal user, [FromServices] IGrainFactory grains)
        => TypedResults.Ok(await Focus(grains, user).GetRulesAsync());

    public static async Task<Results<Ok<FocusRule>, ProblemHttpResult>> GetRuleAsync(string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
        => Guid.TryParse(id, out var ruleId) && await Focus(grains, user).GetRuleAsync(ruleId) is { } rule ? TypedResults.Ok(rule) : RuleNotFound();

    public static async Task<Results<Ok<FocusRule>, ValidationProblem, ProblemHttpResult>> UpdateRuleAsync(
        string id, UpdateRuleRequest request, ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock)
    {
        if (!Guid.TryParse(id, out var ruleId))
        {
            return RuleNotFound();
        }

        var errors = new FieldErrors();
        if (FocusValidation.ToPatch(request, clock.GetUtcNow(), errors) is not { } patch)
        {
            return errors.ToProblem();
        }

        var change = await Focus(grains, user).UpdateRuleAsync(ruleId, patch);
        return change.Status switch
        {
            RuleChangeStatus.Changed => TypedResults.Ok(change.Rule),
            RuleChangeStatus.Locked => Locked(change),
            _ => RuleNotFound(),
        };
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteRuleAsync(string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        if (!Guid.TryParse(id, out var ruleId))
        {
            return RuleNotFound();
        }

        var change = await Focus(grains, user).DeleteRuleAsync(ruleId);
        return change.Status switch
        {
            RuleChangeStatus.Changed => TypedResults.NoContent(),
            RuleChangeStatus.Locked => Locked(change),
            _ => RuleNotFound(),
        };
    }

    public static async Task<Results<Ok<FocusDecision>, ValidationProblem>> DecideAsync(string? url, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        if (string.IsNullOrWhiteSpace(url)
            || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || Sites.ToHost(url) is not { } host)
        {
            return FieldErrors.Problem("url", "Ask about an http or https address.");
        }

        var userId = user.GetUserId();
        var timeZone = await TimeZoneAsync(grains, userId);
        return TypedResults.Ok(await grains.GetGrain<IFocusGrain>(userId).DecideAsync(new DecisionRequest(host, uri.PathAndQuery, timeZone)));
    }

    public static async Task<Ok<FrictionNow>> GetFrictionAsync(ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var userId = user.GetUserId();
        return TypedResults.Ok(await grains.GetGrain<IFocusGrain>(userId).GetFrictionAsync(await TimeZoneAsync(grains, userId)));
    }

    public static async Task<Results<Ok<UnlockResult>, ValidationProblem, ProblemHttpResult>> UnlockAsync(
        UnlockRequest request, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var errors = new FieldErrors();
        var site = Sites.ToSite(request.Site);
        errors.Add("site", site is null ? "Name the site, such as example.com." : null);
        errors.Add("minutes", request.Minutes is >= 1 and <= FocusRules.MaxUnlockMinutes ? null : $"Unlock for 1 to {FocusRules.MaxUnlockMinutes} minutes.");
        var reason = request.Reason?.Trim() ?? "";
        errors.Add("reason", reason.Length is 0 or > FocusRules.MaxReasonLength ? $"Say in a few words why (1 to {FocusRules.MaxReasonLength} characters). It helps later." : null);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var userId = user.GetUserId();
        var result = await grains.GetGrain<IFocusGrain>(userId).UnlockAsync(site!, request.Minutes!.Value, reason, await TimeZoneAsync(grains, userId));
        return result.Status switch
        {
            UnlockStatus.Unlocked => TypedResults.Ok(result),
            UnlockStatus.Locked => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "This site is locked", detail: result.Reason),
            _ => TypedResults.Problem(
                statusCode: StatusCodes.Status429TooManyRequests,
                title: "No unlocks left today",
                detail: $"You've used your {result.UnlocksPerDay} unlocks for today. They come back tomorrow."),
        };
    }

    public static async Task<Results<Ok<DismissResult>, ValidationProblem>> DismissAsync(DismissRequest request, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        if (Sites.ToSite(request.Site) is not { } site)
        {
            return FieldErrors.Problem("site", "Name the site or address you chose not to open.");
        }

        var userId = user.GetUserId();
        return TypedResults.Ok(await grains.GetGrain<IFocusGrain>(userId).DismissAsync(site, await TimeZoneAsync(grains, userId)));
    }

    public static async Task<Ok<FocusSettings>> GetSettingsAsync(ClaimsPrincipal user, [FromServices] IGrainFactory grains)
        => TypedResults.Ok(await Focus(grains, user).GetSettingsAsync());

    public static async Task<Results<Ok<FocusSettings>, ValidationProblem, ProblemHttpResult>> UpdateSettingsAsync(
        FocusSettingsRequest request, ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock)
    {
        if (request.UnlocksPerDay is not { } unlocks || unlocks < 0 || unlocks > FocusRules.MaxUnlocksPerDay)
        {
            return FieldErrors.Problem("unlocksPerDay", $"From 0 to {FocusRules.MaxUnlocksPerDay} unlocks a day.");
        }

        var focus = Focus(grains, user);
        var current = await focus.GetSettingsAsync();
        var now = clock.GetUtcNow();
        if (unlocks > current.UnlocksPerDay && (await focus.GetRulesAsync()).Any(r => r.LockedUntil > now))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "A rule set is locked", detail: "While a rule set is locked, unlocks per day can go down but not up.");
        }

        return TypedResults.Ok(await focus.UpdateSettingsAsync(new FocusSettings(unlocks)));
    }

    public static async Task<Results<Created<FocusSessionView>, ValidationProblem, ProblemHttpResult>> StartSessionAsync(
        StartSessionRequest request, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var errors = new FieldErrors();
        errors.Add("plannedMinutes", request.PlannedMinutes is >= 1 and <= FocusRules.MaxSessionMinutes ? null : $"Plan 1 to {FocusRules.MaxSessionMinutes} minutes.");
        var strictness = request.Strictness ?? FocusRules.Gentle;
        errors.Add("strictness", FocusRules.Strictnesses.Contains(strictness) ? null : "Strictness is gentle, firm or strict.");
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var userId = user.GetUserId();
        var change = await grains.GetGrain<IFocusGrain>(userId).StartSessionAsync(request.PlannedMinutes!.Value, strictness);
        if (change.Status != SessionChangeStatus.Changed)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "A session is already on", detail: change.Reason);
        }

        return TypedResults.Created($"/api/v1/focus/sessions/{change.Session!.Id}", change.Session);
    }

    public static async Task<Ok<IReadOnlyList<FocusSessionView>>> ListSessionsAsync(ClaimsPrincipal user, [FromServices] IGrainFactory grains, int? limit)
        => TypedResults.Ok(await Focus(grains, user).GetSessionHistoryAsync(limit ?? 20));

    public static async Task<Results<Ok<FocusSessionView>, NoContent>> GetCurrentSessionAsync(ClaimsPrincipal user, [FromServices] IGrainFactory grains)
        => await Focus(grains, user).GetActiveSessionAsync() is { } session ? TypedResults.Ok(session) : TypedResults.NoContent();

    public static async Task<Results<Ok<FocusSessionView>, ProblemHttpResult>> GetSessionAsync(string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
        => Guid.TryParse(id, out var sessionId) && await Focus(grains, user).GetSessionAsync(sessionId) is { } session ? TypedResults.Ok(session) : SessionNotFound();

    private static async Task<Results<Ok<FocusSessionView>, ProblemHttpResult>> ChangeSessionAsync(
        string id, ClaimsPrincipal user, IGrainFactory grains, Func<IFocusGrain, Guid, Task<SessionChange>> change)
    {
        if (!Guid.TryParse(id, out var sessionId))
        {
            return SessionNotFound();
        }

        var userId = user.GetUserId();
        var result = await change(grains.GetGrain<IFocusGrain>(userId), sessionId);
        switch (result.Status)
        {
            case SessionChangeStatus.Changed:
                return TypedResults.Ok(result.Session);
            case SessionChangeStatus.Conflict:
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "This session has ended", detail: result.Reason);
            default:
                return SessionNotFound();
        }
    }

    private static IFocusGrain Focus(IGrainFactory grains, ClaimsPrincipal user) => grains.GetGrain<IFocusGrain>(user.GetUserId());

    private static async Task<string> TimeZoneAsync(IGrainFactory grains, Guid userId)
        => (await grains.GetGrain<IUserGrain>(userId).GetProfileAsync())?.TimeZone ?? "UTC";

    private static ProblemHttpResult Locked(RuleChange change)
        => TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "This rule set is locked",
            detail: $"{change.Reason} It is locked until {change.Rule?.LockedUntil:yyyy-MM-dd HH:mm} UTC.");

    private static ProblemHttpResult RuleNotFound()
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "There is no rule set with this id.");

    private static ProblemHttpResult SessionNotFound()
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "There is no focus session with this id.");
}
