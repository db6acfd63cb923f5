using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using Mindspace.Gateway.Hosting;
using Mindspace.Gateway.Notifications;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Auth;
using Mindspace.Grains.Interfaces.Users;

namespace Mindspace.Gateway.Auth;

/// <summary>The gateway's authentication and authorization: JWT bearer, role policies, tokens, notifications push.</summary>
public static class AuthSetup
{
    /// <summary>How far token lifetimes may disagree with this clock.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(5);

    /// <summary>
    /// JWT bearer (HS256 only, issuer and audience checked, 5 s clock skew, the session and the
    /// account must still exist), the "member", "moderator" and "admin" policies, and the token
    /// service. Throws at start when the settings are
    /// bad, or when Production has no <c>JWT_SECRET</c>.
    /// </summary>
    public static WebApplicationBuilder AddMindspaceAuth(this WebApplicationBuilder builder)
    {
        var settings = AuthSettings.From(builder.Configuration);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<TokenService>();
        builder.Services.AddSingleton(sp => new SessionCache(
            sp.GetRequiredKeyedService<TimeProvider>(MindspaceClock.Key), SessionCache.DefaultLifetime, SessionCache.DefaultCapacity));
        builder.Services.AddObserverRelay<SessionRevocationRelay>();

        builder.Services
            .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                // JsonWebTokenHandler checks exp against the system clock (no TimeProvider in the parameters
                // below), so the handler that remembers valid tokens uses the same clock.
                options.TokenHandlers.Clear();
                options.TokenHandlers.Add(new CachingTokenHandler(TimeProvider.System, CachingTokenHandler.DefaultCapacity));
                options.MapInboundClaims = false;

                // Nothing reads the raw token back from the authentication properties; storing it cost a
                // dictionary, a list and their strings on every request.
                options.SaveToken = false;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = settings.Issuer,
                    ValidAudience = settings.Audience,
                    IssuerSigningKey = new SymmetricSecurityKey(settings.SigningKey),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidateLifetime = true,
                    ValidateIssuerSigningKey = true,
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    ClockSkew = ClockSkew,
                    NameClaimType = TokenService.SubjectClaim,
                    RoleClaimType = TokenService.RoleClaim,
                };
                options.Events = new JwtBearerEvents
                {
                    OnMessageReceived = ReadHubTokenFromQuery,
                    OnTokenValidated = CheckSessionIsActiveAsync,
                };
            });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AuthPolicies.Member, policy => policy.RequireAuthenticatedUser().RequireRole(UserRoles.Member, UserRoles.Moderator, UserRoles.Admin))
            .AddPolicy(AuthPolicies.Moderator, policy => policy.RequireAuthenticatedUser().RequireRole(UserRoles.Moderator, UserRoles.Admin))
            .AddPolicy(AuthPolicies.Admin, policy => policy.RequireAuthenticatedUser().RequireRole(UserRoles.Admin))
            .AddPolicy(AuthPolicies.CareTeam, policy => policy.RequireAuthenticatedUser().RequireRole(UserRoles.CareTeam));

        return builder;
    }

    /// <summary>Browsers cannot set headers on WebSockets, so hub clients send the token as <c>access_token</c>.</summary>
    private static Task ReadHubTokenFromQuery(MessageReceivedContext context)
    {
        if (string.IsNullOrEmpty(context.Token)
            && context.Request.Path.StartsWithSegments("/hubs")
            && context.Request.Query["access_token"] is { Count: > 0 } token)
        {
            context.Token = token.ToString();
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// A signed, unexpired token still fails once its session ended or its account was deleted. This runs on every
    /// authenticated request, so it asks one grain only, and only when this gateway's <see cref="SessionCache"/>
    /// does not already know the session is active: deleting an account erases every session grain before the
    /// account itself (<see cref="IUserGrain.DeleteAsync"/>), so a deleted account never has an active session.
    /// Ending a session evicts it from the cache of the gateway that ended it before it answers, and from every
    /// other gateway's by a pushed revocation (<see cref="SessionRevocationRelay"/>); see docs/architecture.md.
    /// </summary>
    private static async Task CheckSessionIsActiveAsync(TokenValidatedContext context)
    {
        var principal = context.Principal;
        if (principal is null || !principal.TryGetUserId(out var userId) || !principal.TryGetSessionId(out var sessionId))
        {
            Refuse(context, "the token lacks sub or sid");
            return;
        }

        var services = context.HttpContext.RequestServices;
        var cache = services.GetRequiredService<SessionCache>();
        if (cache.IsActive(sessionId, userId))
        {
            return;
        }

        var generation = cache.Generation;
        var session = await services.GetRequiredService<IGrainFactory>()
            .GetGrain<ISessionGrain>(sessionId)
            .GetStatusAsync();
        if (!session.Active || session.UserId != userId)
        {
            // Refusals are not remembered: an ended session is asked about again, never trusted longer than an active one.
            Refuse(context, "the session has ended or the account was deleted");
            return;
        }

        cache.Remember(sessionId, userId, generation);
    }

    private static void Refuse(TokenValidatedContext context, string reason)
    {
        AuthLog.TokenRefused(AuthLog.Create(context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>()), reason);
        context.Fail($"The access token is no longer valid: {reason}.");
    }
}
