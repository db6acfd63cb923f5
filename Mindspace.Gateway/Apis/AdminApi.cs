using Microsoft.AspNetCore.Http.HttpResults;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces.Users;
using Mindspace.Runtime;

namespace Mindspace.Gateway.Apis;

/// <summary>Administration: granting and revoking roles. Admins only.</summary>
public static class AdminApi
{
    private const string Actor = "an administrator";

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/admin")
            .WithTags("Admin")
            .RequireAuthorization(AuthPolicies.Admin)
            .RequireRateLimiting(RateLimitPolicies.User)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        group.MapPost("/users/{id:guid}/roles", GrantAsync)
            .WithSummary("Grant a role (moderator or admin)")
            .WithDescription("Takes effect in the user's next access token (at their next refresh or sign-in).");

        group.MapDelete("/users/{id:guid}/roles/{role}", RevokeAsync)
            .WithSummary("Revoke a role (moderator or admin)")
            .WithDescription("Takes effect in the user's next access token (at their next refresh or sign-in).");

        return app;
    }

    private static async Task<Results<Ok<RolesResponse>, ValidationProblem, ProblemHttpResult>> GrantAsync(
        Guid id, RoleRequest request, HttpContext http, IGrainFactory grains, ILoggerFactory loggers)
    {
        if (GrantableRole(request.Role) is not { } role)
        {
            return AuthProblems.Validation("role", RoleError);
        }

        var result = await grains.GetGrain<IUserGrain>(id).GrantRoleAsync(new RoleChange(role, Actor, http.IpAddress()));
        if (!result.Found)
        {
            return AuthProblems.UserNotFound();
        }

        if (result.Changed)
        {
            AuthLog.RoleChanged(AuthLog.Create(loggers), id, role, "granted", http.User.GetUserId().ToString("D"));
        }

        return TypedResults.Ok(new RolesResponse(id, result.Roles));
    }

    private static async Task<Results<Ok<RolesResponse>, ValidationProblem, ProblemHttpResult>> RevokeAsync(
        Guid id, string role, HttpContext http, IGrainFactory grains, ILoggerFactory loggers)
    {
        if (GrantableRole(role) is not { } grantable)
        {
            return AuthProblems.Validation("role", RoleError);
        }

        var result = await grains.GetGrain<IUserGrain>(id).RevokeRoleAsync(new RoleChange(grantable, Actor, http.IpAddress()));
        if (!result.Found)
        {
            return AuthProblems.UserNotFound();
        }

        if (result.Changed)
        {
            AuthLog.RoleChanged(AuthLog.Create(loggers), id, grantable, "revoked", http.User.GetUserId().ToString("D"));
        }

        return TypedResults.Ok(new RolesResponse(id, result.Roles));
    }

    private static string RoleError => $"Role must be one of: {string.Join(", ", UserRoles.Grantable)} (every account is a {UserRoles.Member}).";

    private static string? GrantableRole(string? role)
        => UserRoles.Normalize(role) is { } known && UserRoles.Grantable.Contains(known) ? known : null;
}
