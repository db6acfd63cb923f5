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

    /// <summary>
    /// The rate limiting middleware, with the rest of the pipeline let go of when the application stops.
    /// </summary>
    /// <remarks>
    /// ASP.NET Core's <c>RateLimitingMiddleware</c> never disposes the endpoint limiter it creates
    /// (dotnet/aspnetcore#66434, open in 10.0): that limiter's heartbeat timer keeps the middleware reachable,
    /// and with it the rest of the pipeline and the application's services — a stopped gateway's whole silo.
    /// A process runs one gateway, so production loses nothing; a process that starts and stops many
    /// (the test suite: about a hundred) kept every one, and collecting their 670 MB stalled it for up to a second.
    /// The middleware reaches the rest of the pipeline only through <see cref="ReleasedOnStop"/>, which drops it
    /// when the application has stopped; what stays reachable is the middleware and its policies.
    /// </remarks>
    public static WebApplication UseMindspaceRateLimiting(this WebApplication app)
    {
        var rest = new ReleasedOnStop();
        app.UseRateLimiter();
        app.Use(next => rest.Hold(next));
        app.Lifetime.ApplicationStopped.Register(rest.Release);
        return app;
    }

    /// <summary>The pipeline after the rate limiter, held until the application stops.</summary>
    private sealed class ReleasedOnStop
    {
        private RequestDelegate? _next;

        public RequestDelegate Hold(RequestDelegate next)
        {
            _next = next;
            return InvokeAsync;
        }

        public void Release() => Volatile.Write(ref _next, null);

        private Task InvokeAsync(HttpContext context)
        {
            if (Volatile.Read(ref _next) is { } next)
            {
                return next(context);
            }

            // The server has stopped before the application stops, so no request gets here; should one, it is told to come back.
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Task.CompletedTask;
        }
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
