using Microsoft.AspNetCore.Http.HttpResults;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Auth;
using Mindspace.Grains.Interfaces.Users;

namespace Mindspace.Gateway.Apis;

/// <summary>Accounts and tokens: register, sign in, refresh, sign out.</summary>
public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/auth")
            .WithTags("Auth")
            .RequireRateLimiting(RateLimitPolicies.Auth)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        group.MapPost("/register", RegisterAsync)
            .WithSummary("Create an account")
            .WithDescription("Email (unique, any letter case), password (at least 10 characters, not the email), display name (1–80 characters) and an optional IANA time zone (default UTC). Emails listed in ADMIN_EMAILS become admins.");

        group.MapPost("/login", LoginAsync)
            .WithSummary("Sign in with email and password")
            .WithDescription("Returns a 15-minute access token (JWT) and a refresh token. A wrong email or password gives the same 401. Repeated failures for one email lock sign-in for a while: 429 with Retry-After.");

        group.MapPost("/refresh", RefreshAsync)
            .WithSummary("Exchange a refresh token for a new token pair")
            .WithDescription("Refresh tokens are single use. Presenting one that was already exchanged signs the whole session out (401). Role changes take effect in the access token issued here.");

        group.MapPost("/logout", LogoutAsync)
            .RequireAuthorization(AuthPolicies.Member)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithSummary("Sign out this session")
            .WithDescription("Ends the session of the access token: its refresh token and its access tokens stop working at once.");

        return app;
    }

    private static async Task<Results<Created<RegisterResponse>, ValidationProblem, ProblemHttpResult>> RegisterAsync(
        RegisterRequest request,
        HttpContext http,
        IGrainFactory grains,
        AuthSettings settings,
        ILoggerFactory loggers)
    {
        var errors = new FieldErrors();
        errors.Add("email", UserRules.ValidateEmail(request.Email));
        errors.Add("password", UserRules.ValidatePassword(request.Password, request.Email));
        errors.Add("displayName", UserRules.ValidateDisplayName(request.DisplayName));
        var timeZone = UserRules.DefaultTimeZone;
        if (request.TimeZone is not null && !UserRules.TryCanonicalTimeZone(request.TimeZone, out timeZone))
        {
            errors.Add("timeZone", UserRules.TimeZoneError);
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var email = request.Email!.Trim();
        var index = grains.GetGrain<IEmailIndexGrain>(EmailKeys.For(email));
        var userId = Guid.NewGuid();
        var logger = AuthLog.Create(loggers);
        if (!await ReserveEmailAsync(index, userId, grains, logger))
        {
            return AuthProblems.EmailTaken();
        }

        try
        {
            await grains.GetGrain<IUserGrain>(userId).RegisterAsync(new NewUser(
                email,
                request.DisplayName!.Trim(),
                timeZone,
                request.Password!,
                settings.IsConfiguredAdmin(email),
                http.IpAddress()));
        }
        catch
        {
            await index.ReleaseAsync(userId);
            throw;
        }

        await index.ConfirmAsync(userId);
        AuthLog.Registered(logger, userId);
        return TypedResults.Created("/api/v1/me", new RegisterResponse(userId));
    }

    private static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> LoginAsync(
        LoginRequest request,
        HttpContext http,
        IGrainFactory grains,
        AuthSettings settings,
        TokenService tokens,
        [FromKeyedServices(MindspaceClock.Key)] TimeProvider time,
        ILoggerFactory loggers)
    {
        var errors = new FieldErrors();
        errors.Add("email", string.IsNullOrWhiteSpace(request.Email) ? "Email is required." : null);
        errors.Add("password", string.IsNullOrEmpty(request.Password) ? "Password is required." : null);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var logger = AuthLog.Create(loggers);
        var emailKey = EmailKeys.For(request.Email!);
        var throttle = grains.GetGrain<ILoginThrottleGrain>(emailKey);
        if (await throttle.GetLockedUntilAsync() is { } lockedUntil)
        {
            return AuthProblems.Locked(http, lockedUntil, time.GetUtcNow());
        }

        // Hashing a password longer than any we accept would only burn CPU; it cannot be right.
        var password = request.Password!;
        var plausible = password.Length <= UserRules.MaxPasswordLength;
        var userId = plausible
            ? await grains.GetGrain<IEmailIndexGrain>(emailKey).GetUserIdAsync()
            : null;
        var sessionId = Guid.NewGuid();
        var refresh = tokens.NewRefreshToken(sessionId);
        var outcome = new SignInOutcome(SignInStatus.NoSuchUser, []);
        if (userId is { } id)
        {
            outcome = await grains.GetGrain<IUserGrain>(id).SignInAsync(new SignInAttempt(
                password,
                sessionId,
                refresh.Hash,
                refresh.ExpiresAt,
                settings.IsConfiguredAdmin(request.Email!),
                http.IpAddress(),
                http.UserAgent()));
        }

        if (outcome.Status == SignInStatus.NoSuchUser && plausible)
        {
            PasswordTiming.VerifyAgainstNothing(password);
        }

        if (outcome.Status != SignInStatus.Succeeded)
        {
            AuthLog.SignInFailed(logger);
            if (await throttle.RecordFailureAsync(settings.Lockout) is { } until)
            {
                AuthLog.SignInLocked(logger, until);
                if (userId is { } lockedUser)
                {
                    await grains.GetGrain<IUserGrain>(lockedUser).NoteAccountLockedAsync(until, http.IpAddress());
                }

                return AuthProblems.Locked(http, until, time.GetUtcNow());
            }

            return AuthProblems.InvalidCredentials();
        }

        await throttle.ResetAsync();
        AuthLog.SignedIn(logger, userId!.Value, sessionId);
        var access = tokens.IssueAccessToken(userId.Value, sessionId, outcome.Roles);
        return TypedResults.Ok(new TokenResponse(access.Token, refresh.Token, access.ExpiresIn));
    }

    private static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> RefreshAsync(
        RefreshRequest request,
        HttpContext http,
        IGrainFactory grains,
        TokenService tokens,
        SessionCache sessions,
        ILoggerFactory loggers)
    {
        if (string.IsNullOrWhiteSpace(request.RefreshToken))
        {
            return FieldErrors.Problem("refreshToken", "Refresh token is required.");
        }

        if (!TokenService.TryReadRefreshToken(request.RefreshToken, out var sessionId, out var presentedHash))
        {
            return AuthProblems.InvalidRefreshToken();
        }

        var next = tokens.NewRefreshToken(sessionId);
        var outcome = await grains.GetGrain<ISessionGrain>(sessionId)
            .RefreshAsync(new RefreshExchange(presentedHash, next.Hash, next.ExpiresAt));
        switch (outcome)
        {
            case { Status: RefreshStatus.Rotated, UserId: { } userId }:
                if (await grains.GetGrain<IUserGrain>(userId).GetProfileAsync() is not { } profile)
                {
                    await grains.GetGrain<ISessionGrain>(sessionId).RevokeAsync(SessionEndReasons.AccountDeleted);
                    sessions.Evict(sessionId);
                    return AuthProblems.InvalidRefreshToken();
                }

                var access = tokens.IssueAccessToken(userId, sessionId, profile.Roles);
                return TypedResults.Ok(new TokenResponse(access.Token, next.Token, access.ExpiresIn));

            case { Status: RefreshStatus.ReuseDetected, UserId: { } userId }:
                sessions.Evict(sessionId);
                AuthLog.RefreshTokenReused(AuthLog.Create(loggers), userId, sessionId);
                await grains.GetGrain<IUserGrain>(userId).NoteSessionEndedAsync(sessionId, SessionEndReasons.RefreshTokenReused, http.IpAddress());
                return AuthProblems.RefreshTokenReused();

            default:
                return AuthProblems.InvalidRefreshToken();
        }
    }

    private static async Task<NoContent> LogoutAsync(HttpContext http, IGrainFactory grains, SessionCache sessions, ILoggerFactory loggers)
    {
        var userId = http.User.GetUserId();
        var sessionId = http.User.GetSessionId();
        var ended = await grains.GetGrain<IUserGrain>(userId).EndSessionAsync(sessionId, SessionEndReasons.SignedOut, http.IpAddress());
        sessions.Evict(sessionId); // before answering; other gateways hear it pushed
        if (ended)
        {
            AuthLog.SessionEnded(AuthLog.Create(loggers), userId, sessionId, SessionEndReasons.SignedOut);
        }

        return TypedResults.NoContent();
    }

    /// <summary>
    /// Reserves the email for a new account. A confirmed holder whose account is gone (a deletion
    /// that died midway) is released first, so the email is never blocked for good.
    /// </summary>
    private static async Task<bool> ReserveEmailAsync(IEmailIndexGrain index, Guid userId, IGrainFactory grains, ILogger logger)
    {
        var reservation = await index.ReserveAsync(userId);
        if (reservation.Reserved)
        {
            return true;
        }

        if (reservation is { HolderConfirmed: true, HolderId: { } holder } && !await grains.GetGrain<IUserGrain>(holder).ExistsAsync())
        {
            await index.ReleaseAsync(holder);
            AuthLog.StaleEmailReleased(logger, holder);
            return (await index.ReserveAsync(userId)).Reserved;
        }

        return false;
    }
}
