using Microsoft.AspNetCore.Http.HttpResults;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces.Users;

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

    private static Task<Results<Ok<RolesResponse>, ValidationProblem, ProblemHttpResult>> GrantAsync(
        Guid id, RoleRequest request, HttpContext http, IGrainFactory grains, ILoggerFactory loggers)
        => ChangeRoleAsync(id, request.Role, "granted", static (user, change) => user.GrantRoleAsync(change), http, grains, loggers);

    private static Task<Results<Ok<RolesResponse>, ValidationProblem, ProblemHttpResult>> RevokeAsync(
        Guid id, string role, HttpContext http, IGrainFactory grains, ILoggerFactory loggers)
        => ChangeRoleAsync(id, role, "revoked", static (user, change) => user.RevokeRoleAsync(change), http, grains, loggers);

    private static async Task<Results<Ok<RolesResponse>, ValidationProblem, ProblemHttpResult>> ChangeRoleAsync(
        Guid id,
        string? requestedRole,
        string verb,
        Func<IUserGrain, RoleChange, Task<RolesResult>> change,
        HttpContext http,
        IGrainFactory grains,
        ILoggerFactory loggers)
    {
        if (UserRoles.NormalizeGrantable(requestedRole) is not { } role)
        {
            return FieldErrors.Problem("role", $"Role must be one of: {string.Join(", ", UserRoles.Grantable)} (every account is a {UserRoles.Member}).");
        }

        var result = await change(grains.GetGrain<IUserGrain>(id), new RoleChange(role, Actor, http.IpAddress()));
        if (!result.Found)
        {
            return AuthProblems.UserNotFound();
        }

        if (result.Changed)
        {
            AuthLog.RoleChanged(AuthLog.Create(loggers), id, role, verb, http.User.GetUserId().ToString("D"));
        }

        return TypedResults.Ok(new RolesResponse(id, result.Roles));
    }
}
