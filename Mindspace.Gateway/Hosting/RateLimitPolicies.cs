using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Mindspace.Gateway.Hosting;

/// <summary>
/// The rate limiter's policies: per client IP on the auth endpoints (no user yet; slows password
/// guessing), per user everywhere else. Rejections are 429 problem documents with Retry-After.
/// </summary>
public static class RateLimitPolicies
{
    /// <summary>Per client IP: for register, login and refresh.</summary>
    public const string Auth = "auth";

    /// <summary>Per signed-in user (per IP for anonymous callers).</summary>
    public const string User = "user";

    public static IServiceCollection AddMindspaceRateLimiting(this IServiceCollection services, GatewaySettings settings)
    {
        return services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(Auth, context => RateLimitPartition.GetFixedWindowLimiter(
                ClientAddress(context),
                _ => Window(settings.AuthRequestsPerMinute)));
            options.AddPolicy(User, context => RateLimitPartition.GetFixedWindowLimiter(
                context.User.FindFirstValue("sub") ?? ClientAddress(context),
                _ => Window(settings.UserRequestsPerMinute)));
            options.OnRejected = WriteRejectionAsync;
        });
    }

    private static FixedWindowRateLimiterOptions Window(int permitsPerMinute) => new()
    {
        PermitLimit = permitsPerMinute,
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static string ClientAddress(HttpContext context)
        => (context.Connection.RemoteIpAddress ?? IPAddress.None).ToString();

    private static async ValueTask WriteRejectionAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Results.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests",
            detail: $"You're going a little fast. Please try again in {seconds} seconds.")
            .ExecuteAsync(context.HttpContext);
    }
}
