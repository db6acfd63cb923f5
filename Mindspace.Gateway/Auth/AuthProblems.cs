using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Mindspace.Gateway.Auth;

/// <summary>The problem documents of the auth, me and admin APIs, worded once.</summary>
internal static class AuthProblems
{
    /// <summary>The same for an unknown email and a wrong password, so neither is revealed.</summary>
    public static ProblemHttpResult InvalidCredentials() => TypedResults.Problem(
        statusCode: StatusCodes.Status401Unauthorized,
        title: "Sign-in failed",
        detail: "The email or password is incorrect.");

    public static ProblemHttpResult Locked(HttpContext context, DateTimeOffset until, DateTimeOffset now)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling((until - now).TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var minutes = Math.Max(1, (int)Math.Ceiling(seconds / 60.0));
        return TypedResults.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Sign-in temporarily locked",
            detail: $"There were too many unsuccessful sign-in attempts for this account, so sign-in is paused for a while to keep it safe. "
                + $"Please try again after {until.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC (in about {minutes} minute{(minutes == 1 ? "" : "s")}).",
            extensions: new Dictionary<string, object?> { ["retryAfter"] = until });
    }

    public static ProblemHttpResult InvalidRefreshToken() => TypedResults.Problem(
        statusCode: StatusCodes.Status401Unauthorized,
        title: "Session expired",
        detail: "The refresh token is not valid any more. Please sign in again.");

    public static ProblemHttpResult RefreshTokenReused() => TypedResults.Problem(
        statusCode: StatusCodes.Status401Unauthorized,
        title: "Session signed out",
        detail: "This refresh token had already been used, so the session was signed out on every device that shared it, to keep your account safe. Please sign in again.");

    public static ProblemHttpResult EmailTaken() => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "Email already registered",
        detail: "An account with this email already exists. Try signing in instead.");

    public static ProblemHttpResult UserNotFound() => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Not found",
        detail: "There is no such user.");

    public static ProblemHttpResult SessionNotFound() => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Not found",
        detail: "You have no open session with this id.");

    public static ProblemHttpResult PasswordNotConfirmed() => TypedResults.Problem(
        statusCode: StatusCodes.Status403Forbidden,
        title: "Password not confirmed",
        detail: "The password is incorrect, so nothing was deleted.");
}
