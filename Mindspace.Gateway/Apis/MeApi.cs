using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.Hosting;
using Mindspace.Gateway.Privacy;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.CheckIns;
using Mindspace.Grains.Interfaces.Users;

namespace Mindspace.Gateway.Apis;

/// <summary>The signed-in user's own account: profile, activity, sessions, export and deletion.</summary>
public static class MeApi
{
    public const int DefaultActivityPage = 20;

    public static IEndpointRouteBuilder MapMeApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapMemberGroup("/api/v1/me", "Me")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        group.MapGet("/", GetAsync)
            .WithSummary("Your profile, roles, preferences and check-in streaks");

        group.MapPatch("/", UpdateAsync)
            .WithSummary("Edit display name, time zone or preferences")
            .WithDescription("Absent fields stay as they are. preferences is a JSON merge patch (RFC 7386): a null value removes its key. Preferences are at most 4 KB as JSON, keys at most 64 characters.");

        group.MapDelete("/", DeleteAsync)
            .WithSummary("Delete your account and everything Mindspace holds about you")
            .WithDescription("Needs your password. Every session ends, your data is erased and the email can register again. Shop orders and invoices are kept for the accounts (tax law), without your name or email; the export says so.");

        group.MapGet("/activity", GetActivityAsync)
            .WithSummary("Your account's activity, newest first")
            .WithDescription("Sign-ins, failed sign-ins, profile and role changes, sessions ended. Pass nextCursor back as cursor for the next page.");

        group.MapGet("/export", ExportAsync)
            .WithSummary("Download everything Mindspace holds about you, as JSON");

        group.MapGet("/sessions", GetSessionsAsync)
            .WithSummary("Your sessions (signed-in devices), newest first");

        group.MapDelete("/sessions", EndAllSessionsAsync)
            .WithSummary("Sign out everywhere")
            .WithDescription("Ends every session, this one included.");

        group.MapDelete("/sessions/{sessionId:guid}", EndSessionAsync)
            .WithSummary("Sign out one session");

        return app;
    }

    private static async Task<Results<Ok<MeResponse>, ProblemHttpResult>> GetAsync(HttpContext http, IGrainFactory grains)
    {
        var userId = http.User.GetUserId();
        if (await grains.GetGrain<IUserGrain>(userId).GetProfileAsync() is not { } profile)
        {
            return AuthProblems.UserNotFound();
        }

        var streaks = await grains.GetGrain<ICheckInsGrain>(userId).GetStreaksAsync(profile.TimeZone);
        return TypedResults.Ok(new MeResponse(
            profile.UserId, profile.Email, profile.DisplayName, profile.TimeZone, profile.Roles, profile.CreatedAt, profile.Preferences, streaks));
    }

    private static async Task<Results<Ok<UserProfile>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        UpdateMeRequest request, HttpContext http, IGrainFactory grains)
    {
        // The grain validates the edit (naming each bad field) and changes nothing when any is bad.
        var patch = request.Preferences is { ValueKind: not JsonValueKind.Null } preferences ? preferences : (JsonElement?)null;
        var result = await grains.GetGrain<IUserGrain>(http.User.GetUserId())
            .UpdateProfileAsync(new ProfileUpdate(request.DisplayName, request.TimeZone, patch, http.IpAddress()));
        return result switch
        {
            { Status: UpdateStatus.Updated, Profile: { } profile } => TypedResults.Ok(profile),
            { Status: UpdateStatus.Invalid, Errors: { } fieldErrors } => FieldErrors.Problem(new Dictionary<string, string[]>(fieldErrors)),
            _ => AuthProblems.UserNotFound(),
        };
    }

    private static async Task<Results<Ok<ActivityResponse>, ValidationProblem, ProblemHttpResult>> GetActivityAsync(
        HttpContext http, IGrainFactory grains, string? cursor = null, int? limit = null)
    {
        var errors = new FieldErrors();
        errors.Add("limit", limit is < 1 or > ActivityRules.MaxPage ? $"Limit must be from 1 to {ActivityRules.MaxPage}." : null);
        errors.Add("cursor", cursor is not null && !ActivityRules.IsCursor(cursor) ? "Cursor must be a nextCursor value from a previous page." : null);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var page = await grains.GetGrain<IUserGrain>(http.User.GetUserId()).GetActivityAsync(cursor, limit ?? DefaultActivityPage);
        return page is null
            ? AuthProblems.UserNotFound()
            : TypedResults.Ok(new ActivityResponse(page.Items, page.NextCursor));
    }

    private static async Task<Results<Ok<ExportResponse>, ProblemHttpResult>> ExportAsync(
        HttpContext http, IGrainFactory grains, PersonalData personalData, [FromKeyedServices(MindspaceClock.Key)] TimeProvider time)
    {
        var userId = http.User.GetUserId();
        if (await grains.GetGrain<IUserGrain>(userId).ExportAsync() is not { } export)
        {
            return AuthProblems.UserNotFound();
        }

        var sections = await personalData.ExportAsync(userId);
        http.Response.Headers.ContentDisposition = "attachment; filename=\"mindspace-export.json\"";
        return TypedResults.Ok(new ExportResponse(time.GetUtcNow(), export.Profile, export.Sessions, export.Activity)
        {
            Sections = new Dictionary<string, object>(sections),
        });
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(
        [FromBody] DeleteMeRequest request, HttpContext http, IGrainFactory grains, PersonalData personalData, SessionCache sessions, ILoggerFactory loggers)
    {
        if (string.IsNullOrEmpty(request.Password))
        {
            return FieldErrors.Problem("password", "Confirm with your password.");
        }

        var userId = http.User.GetUserId();
        var user = grains.GetGrain<IUserGrain>(userId);
        switch (await user.ConfirmDeletionPasswordAsync(request.Password, http.IpAddress()))
        {
            case PasswordCheck.Wrong:
                return AuthProblems.PasswordNotConfirmed();
            case PasswordCheck.NoSuchUser:
                return AuthProblems.UserNotFound();
        }

        // Other modules first: if anything fails midway the account still exists and deletion can be retried.
        await personalData.EraseAsync(userId);
        await user.DeleteAsync();
        sessions.EvictUser(userId);
        AuthLog.AccountDeleted(AuthLog.Create(loggers), userId);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<IReadOnlyList<SessionResponse>>, ProblemHttpResult>> GetSessionsAsync(HttpContext http, IGrainFactory grains)
    {
        var current = http.User.GetSessionId();
        if (await grains.GetGrain<IUserGrain>(http.User.GetUserId()).GetSessionsAsync() is not { } sessions)
        {
            return AuthProblems.UserNotFound();
        }

        return TypedResults.Ok<IReadOnlyList<SessionResponse>>(
        [
            .. sessions.Select(s => new SessionResponse(s.SessionId, s.CreatedAt, s.IpAddress, s.UserAgent, s.EndedAt, s.EndReason, s.SessionId == current)),
        ]);
    }

    private static async Task<NoContent> EndAllSessionsAsync(HttpContext http, IGrainFactory grains, SessionCache sessions)
    {
        await grains.GetGrain<IUserGrain>(http.User.GetUserId()).EndAllSessionsAsync(SessionEndReasons.SignedOutEverywhere, http.IpAddress());
        sessions.EvictUser(http.User.GetUserId()); // before answering; other gateways hear each session's end pushed
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> EndSessionAsync(Guid sessionId, HttpContext http, IGrainFactory grains, SessionCache sessions)
    {
        var ended = await grains.GetGrain<IUserGrain>(http.User.GetUserId()).EndSessionAsync(sessionId, SessionEndReasons.SignedOut, http.IpAddress());
        if (ended)
        {
            sessions.Evict(sessionId); // before answering; other gateways hear it pushed
        }

        return ended ? TypedResults.NoContent() : AuthProblems.SessionNotFound();
    }
}
