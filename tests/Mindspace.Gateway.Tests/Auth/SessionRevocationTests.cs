using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Auth;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Auth;

/// <summary>
/// A gateway whose clock never moves, so a session it caches stays cached unless it is evicted: every
/// 401 below after a session ends comes from an eviction (local or pushed), never from the cache's lifetime.
/// </summary>
public sealed class FrozenClockHost : SharedHost
{
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);

    public override TimeProvider? Clock => _clock;
}

/// <summary>
/// The session check of every authenticated request is answered from the gateway's cache, and ending a
/// session (sign-out, sign out everywhere, one session by id, refresh-token reuse, account deletion, or
/// inside the cluster) takes effect at once.
/// </summary>
public sealed class SessionRevocationTests(FrozenClockHost shared) : IClassFixture<FrozenClockHost>
{
    private MindspaceTestHost Host => shared.Host;

    private SessionCache Cache => Host.Services.GetRequiredService<SessionCache>();

    [Fact]
    public async Task Sign_out_refuses_the_same_token_at_once_on_the_gateway_that_did_it()
    {
        var user = await SignedInAndCachedAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.PostAsync("/api/v1/auth/logout", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, await Host.MeStatusAsync(user.AccessToken));
        Assert.False(Cache.IsActive(SessionOf(user.AccessToken), user.UserId));
        Assert.Equal(HttpStatusCode.Unauthorized, await Host.MeStatusAsync(user.AccessToken)); // a refusal is not remembered as anything else
    }

    [Fact]
    public async Task Signing_out_everywhere_refuses_every_cached_session_of_the_person_at_once()
    {
        var user = await SignedInAndCachedAsync();
        var (secondDevice, _) = await Host.LoginAsync(user.Email, user.Password);
        var someoneElse = await SignedInAndCachedAsync();
        Assert.Equal(HttpStatusCode.OK, await Host.MeStatusAsync(secondDevice));
        Assert.True(Cache.IsActive(SessionOf(secondDevice), user.UserId));

        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.DeleteAsync("/api/v1/me/sessions")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, await Host.MeStatusAsync(user.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await Host.MeStatusAsync(secondDevice));
        Assert.Equal(HttpStatusCode.OK, await Host.MeStatusAsync(someoneElse.AccessToken));
    }

    [Fact]
    public async Task Signing_out_another_device_refuses_its_token_at_once_and_keeps_this_one()
    {
        var user = await SignedInAndCachedAsync();
        var (secondDevice, _) = await Host.LoginAsync(user.Email, user.Password);
        Assert.Equal(HttpStatusCode.OK, await Host.MeStatusAsync(secondDevice));

        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.DeleteAsync($"/api/v1/me/sessions/{SessionOf(secondDevice)}")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, await Host.MeStatusAsync(secondDevice));
        Assert.Equal(HttpStatusCode.OK, await Host.MeStatusAsync(user.AccessToken));
    }

    [Fact]
    public async Task Deleting_the_account_refuses_its_cached_sessions_at_once()
    {
        var user = await SignedInAndCachedAsync();
        var (secondDevice, _) = await Host.LoginAsync(user.Email, user.Password);
        Assert.Equal(HttpStatusCode.OK, await Host.MeStatusAsync(secondDevice));

        using var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { password = user.Password }) };
        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.SendAsync(delete)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, await Host.MeStatusAsync(user.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await Host.MeStatusAsync(secondDevice));
    }

    [Fact]
    public async Task Reusing_a_refresh_token_refuses_the_cached_access_token_of_its_session_at_once()
    {
        var user = await SignedInAndCachedAsync();
        Assert.Equal(HttpStatusCode.OK, (await Host.Client.PostRefreshAsync(user.RefreshToken)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await Host.Client.PostRefreshAsync(user.RefreshToken)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, await Host.MeStatusAsync(user.AccessToken));
    }

    [Fact]
    public async Task A_session_ended_inside_the_cluster_is_evicted_by_the_pushed_revocation()
    {
        var user = await SignedInAndCachedAsync();

        // Not through any endpoint of this gateway, so only the push can tell it (its clock stands still).
        Assert.True(await Host.Grains.GetGrain<ISessionGrain>(SessionOf(user.AccessToken)).RevokeAsync("test"));

        await Eventually.ReturnsAsync(() => Host.MeStatusAsync(user.AccessToken), status => status == HttpStatusCode.Unauthorized, "the pushed revocation");
    }

    [Fact]
    public async Task Expired_or_forged_tokens_of_a_cached_session_are_still_refused()
    {
        var user = await SignedInAndCachedAsync();
        var key = Host.Services.GetRequiredService<AuthSettings>().SigningKey;
        var claims = TokenTests.ClaimsOf(user.AccessToken);

        Assert.Equal(HttpStatusCode.Unauthorized, await Host.MeStatusAsync(TokenTests.Sign(claims, key, DateTime.UtcNow.AddSeconds(-30))));
        Assert.Equal(HttpStatusCode.Unauthorized, await Host.MeStatusAsync(TokenTests.Sign(claims, "an entirely different secret of 32+ bytes"u8.ToArray(), DateTime.UtcNow.AddMinutes(10))));
        Assert.Equal(HttpStatusCode.OK, await Host.MeStatusAsync(TokenTests.Sign(claims, key, DateTime.UtcNow.AddMinutes(10))));
    }

    /// <summary>A fresh person whose session this gateway now answers from its cache.</summary>
    private async Task<TestUser> SignedInAndCachedAsync()
    {
        await Eventually.TrueAsync(() => Cache.Trusted, "the gateway subscribed to session revocations");
        var user = await Host.RegisterAndLoginAsync();
        Assert.Equal(HttpStatusCode.OK, await Host.MeStatusAsync(user.AccessToken));
        Assert.True(Cache.IsActive(SessionOf(user.AccessToken), user.UserId));
        return user;
    }

    internal static Guid SessionOf(string accessToken) => Guid.Parse(AuthTestExtensions.ReadJwt(accessToken).GetClaim("sid").Value);
}
