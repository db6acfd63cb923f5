using Mindspace.Gateway.Auth;

namespace Mindspace.Gateway.Hosting;

/// <summary>The one place that says what every signed-in member's API group requires.</summary>
public static class MemberApiGroups
{
    /// <summary>A route group for signed-in members: the member policy and the per-user rate limit, tagged for the API docs.</summary>
    public static RouteGroupBuilder MapMemberGroup(this IEndpointRouteBuilder app, string prefix, string tag) =>
        app.MapGroup(prefix)
            .WithTags(tag)
            .RequireAuthorization(AuthPolicies.Member)
            .RequireRateLimiting(RateLimitPolicies.User);
}
