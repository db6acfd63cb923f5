using System.Globalization;
using Mindspace.Gateway.Auth;
using Mindspace.Grains.Interfaces.Community;

namespace Mindspace.Gateway.Community;

/// <summary>
/// Runs before the community's writes (on the <c>/api/v1/posts</c> group): a suspended member gets a
/// 403 saying until when; a new account past its hourly limit of posts or comments gets a 429 with
/// <c>Retry-After</c>. Reading, deleting one's own words, unliking, bookmarking and reporting stay open.
/// </summary>
public static class CommunityStandingFilter
{
    /// <summary>The writes a standing decides, by HTTP method and route pattern.</summary>
    private static readonly Dictionary<(string Method, string Pattern), string> Actions = new()
    {
        [("POST", "/api/v1/posts")] = StandingActions.Post,
        [("POST", "/api/v1/posts/{id}/comments")] = StandingActions.Comment,
        [("PUT", "/api/v1/posts/{id}/like")] = StandingActions.Like,
        [("PATCH", "/api/v1/posts/{id}")] = StandingActions.Edit,
    };

    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var pattern = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText?.TrimEnd('/') ?? string.Empty;
        if (!Actions.TryGetValue((http.Request.Method, pattern), out var action) || !http.User.TryGetUserId(out var userId))
        {
            return await next(context);
        }

        var standing = http.RequestServices.GetRequiredService<IGrainFactory>().GetGrain<IMemberStandingGrain>(userId);
        var decision = await standing.TryActAsync(action);
        switch (decision.Outcome)
        {
            case StandingOutcome.Suspended:
                return Suspended(decision.Until!.Value);
            case StandingOutcome.RateLimited:
                var wait = decision.Until!.Value - TimeProviderOf(http).GetUtcNow();
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return SlowDown(action, decision.Limit, seconds);
        }

        var result = await next(context);
        if (decision.CountedAt is { } at && !Succeeded(result))
        {
            await standing.UncountAsync(action, at);
        }

        return result;
    }

    private static TimeProvider TimeProviderOf(HttpContext http)
        => http.RequestServices.GetRequiredKeyedService<TimeProvider>(Grains.Interfaces.MindspaceClock.Key);

    private static bool Succeeded(object? result)
    {
        while (result is INestedHttpResult nested)
        {
            result = nested.Result;
        }

        return result is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 };
    }

    private static IResult Suspended(DateTimeOffset until)
        => TypedResults.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Posting is paused for now",
            detail: $"A moderator has paused your posting, commenting and liking in the community until {until.ToUniversalTime():yyyy-MM-dd HH:mm} UTC. " +
                "You can still read, and everything else in Mindspace is open to you. The message in your inbox says why.",
            extensions: new Dictionary<string, object?> { ["suspendedUntil"] = until.ToUniversalTime() });

    private static IResult SlowDown(string action, int limit, int retryAfterSeconds)
    {
        var what = action == StandingActions.Post ? "posts" : "comments";
        var minutes = Math.Max(1, (int)Math.Ceiling(retryAfterSeconds / 60.0));
        return TypedResults.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "A little pause",
            detail: $"New accounts can share up to {limit} {what} an hour while they settle in; it helps keep the community safe. " +
                $"You can share again in about {minutes} minute{(minutes == 1 ? string.Empty : "s")}. Your words will be just as welcome then.",
            extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = retryAfterSeconds, ["limit"] = limit });
    }
}
