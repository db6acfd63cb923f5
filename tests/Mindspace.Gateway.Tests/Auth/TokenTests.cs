using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.Hosting;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Auth;

public sealed class TokenTests(SharedHost shared) : IClassFixture<SharedHost>
{
    private MindspaceTestHost Host => shared.Host;

    [Fact]
    public async Task Refresh_rotates_the_pair()
    {
        var user = await Host.RegisterAndLoginAsync();

        var (access, refresh) = await (await Host.Client.PostRefreshAsync(user.RefreshToken)).ReadTokensAsync();

        Assert.NotEqual(user.RefreshToken, refresh);
        Assert.Equal(user.RefreshToken[..32], refresh[..32]); // same session
        Assert.Equal(HttpStatusCode.OK, await Host.MeStatusAsync(access));
        var (_, third) = await (await Host.Client.PostRefreshAsync(refresh)).ReadTokensAsync();
        Assert.NotEqual(refresh, third);
    }

    [Fact]
    public async Task Refresh_with_a_rotated_token_revokes_the_family()
    {
        var user = await Host.RegisterAndLoginAsync();
        var (access, newest) = await (await Host.Client.PostRefreshAsync(user.RefreshToken)).ReadTokensAsync();

        var replay = await Host.Client.PostRefreshAsync(user.RefreshToken);

        var problem = await replay.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("already been used", problem.GetProperty("detail").GetString());
        await (await Host.Client.PostRefreshAsync(newest)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.Unauthorized, await Host.MeStatusAsync(access));
        Assert.Equal(HttpStatusCode.Unauthorized, await Host.MeStatusAsync(user.AccessToken));

        // Other sessions of the same account are untouched, and the account's log says why.
        var (otherAccess, _) = await Host.LoginAsync(user.Email, user.Password);
        using var other = Host.CreateClient(otherAccess);
        var activity = await other.GetStringAsync("/api/v1/me/activity");
        Assert.Contains("refresh-token-reused", activity);
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("0123456789abcdef0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Refresh_with_an_unknown_token_is_401(string token)
    {
        var response = await Host.Client.PostRefreshAsync(token);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_guessed_token_for_a_real_session_is_refused_without_ending_the_session()
    {
        var user = await Host.RegisterAndLoginAsync();
        var guess = user.RefreshToken[..33] + new string('A', 43);

        await (await Host.Client.PostRefreshAsync(guess)).AssertProblemAsync(HttpStatusCode.Unauthorized);

        Assert.Equal(HttpStatusCode.OK, (await Host.Client.PostRefreshAsync(user.RefreshToken)).StatusCode);
    }

    [Fact]
    public async Task Logout_revokes_the_access_and_refresh_tokens_of_that_session_only()
    {
        var user = await Host.RegisterAndLoginAsync();
        var (otherAccess, otherRefresh) = await Host.LoginAsync(user.Email, user.Password);

        var logout = await user.Client.PostAsync("/api/v1/auth/logout", null);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await Host.MeStatusAsync(user.AccessToken));
        await (await Host.Client.PostRefreshAsync(user.RefreshToken)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, await Host.MeStatusAsync(otherAccess));
        Assert.Equal(HttpStatusCode.OK, (await Host.Client.PostRefreshAsync(otherRefresh)).StatusCode);
    }

    [Fact]
    public async Task Anonymous_and_garbage_bearer_tokens_get_a_401_problem()
    {
        await (await Host.Client.GetAsync("/api/v1/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        using var garbage = Host.CreateClient("garbage");
        await (await garbage.GetAsync("/api/v1/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_refused()
    {
        var user = await Host.RegisterAndLoginAsync();
        var forged = Sign(ClaimsOf(user.AccessToken), Encoding.UTF8.GetBytes("an entirely different secret of 32+ bytes"), DateTime.UtcNow.AddMinutes(10));

        Assert.Equal(HttpStatusCode.Unauthorized, await Host.MeStatusAsync(forged));
    }

    [Fact]
    public async Task An_expired_token_with_the_right_key_is_refused()
    {
        var user = await Host.RegisterAndLoginAsync();
        var key = Host.Services.GetRequiredService<AuthSettings>().SigningKey;
        var fresh = Sign(ClaimsOf(user.AccessToken), key, DateTime.UtcNow.AddMinutes(10));
        var expired = Sign(ClaimsOf(user.AccessToken), key, DateTime.UtcNow.AddSeconds(-30));

        Assert.Equal(HttpStatusCode.OK, await Host.MeStatusAsync(fresh)); // the hand-made token is otherwise right
        Assert.Equal(HttpStatusCode.Unauthorized, await Host.MeStatusAsync(expired));
    }

    [Fact]
    public async Task An_unsigned_alg_none_token_is_refused()
    {
        var user = await Host.RegisterAndLoginAsync();
        var payload = AuthTestExtensions.ReadJwt(user.AccessToken).EncodedPayload;
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");

        Assert.Equal(HttpStatusCode.Unauthorized, await Host.MeStatusAsync($"{header}.{payload}."));
    }

    [Theory]
    [InlineData("someone-else", "mindspace-api")]
    [InlineData("mindspace", "another-api")]
    public async Task A_token_for_another_issuer_or_audience_is_refused(string issuer, string audience)
    {
        var user = await Host.RegisterAndLoginAsync();
        var key = Host.Services.GetRequiredService<AuthSettings>().SigningKey;

        var token = Sign(ClaimsOf(user.AccessToken), key, DateTime.UtcNow.AddMinutes(10), issuer, audience);

        Assert.Equal(HttpStatusCode.Unauthorized, await Host.MeStatusAsync(token));
    }

    [Fact]
    public async Task A_token_without_a_session_claim_is_refused()
    {
        var user = await Host.RegisterAndLoginAsync();
        var key = Host.Services.GetRequiredService<AuthSettings>().SigningKey;
        var claims = ClaimsOf(user.AccessToken).Where(c => c.Type != "sid").ToList();

        Assert.Equal(HttpStatusCode.Unauthorized, await Host.MeStatusAsync(Sign(claims, key, DateTime.UtcNow.AddMinutes(10))));
    }

    internal static List<Claim> ClaimsOf(string token)
        => [.. AuthTestExtensions.ReadJwt(token).Claims.Where(c => c.Type is "sub" or "sid" or "role")];

    internal static string Sign(IEnumerable<Claim> claims, byte[] key, DateTime expires, string issuer = "mindspace", string audience = "mindspace-api")
        => new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = expires.AddMinutes(-15),
            NotBefore = expires.AddMinutes(-15),
            Expires = expires,
            Subject = new ClaimsIdentity(claims),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
        });
}

public sealed class TokenSettingsTests
{
    [Theory]
    [InlineData("900", 900)]
    [InlineData("15m", 900)]
    [InlineData("1h", 3600)]
    [InlineData("30s", 30)]
    [InlineData("1d", 86400)]
    [InlineData("00:05:00", 300)]
    public void Token_lifetimes_read_seconds_or_short_durations(string value, int seconds)
    {
        Assert.True(Mindspace.Silo.ConfigurationValues.TryParseDuration(value, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("")]
    public void Nonsense_token_lifetimes_are_refused(string value) => Assert.False(Mindspace.Silo.ConfigurationValues.TryParseDuration(value, out _));

    [Fact]
    public void Production_refuses_to_start_without_a_jwt_secret()
    {
        using var data = new TempDirectory();

        var exception = Assert.Throws<InvalidOperationException>(() => MindspaceGateway.Build([], builder => builder.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["DATA_DIR"] = data.Path,
                ["urls"] = "http://127.0.0.1:0",
                ["MASTER_KEY"] = Convert.ToBase64String(new byte[32]), // present, so only the missing signing key is refused
            })));

        Assert.Contains("JWT_SECRET", exception.Message);
        Assert.False(File.Exists(data.Combine("jwt-secret")));
    }

    [Fact]
    public void A_short_jwt_secret_is_refused_by_name()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => MindspaceGateway.Build([], builder => builder.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { ["JWT_SECRET"] = "too-short", ["urls"] = "http://127.0.0.1:0" })));

        Assert.Contains("JWT_SECRET", exception.Message);
    }

    [Fact]
    public async Task A_configured_lifetime_shows_in_expires_in_and_the_token()
    {
        await using var host = await MindspaceTestHost.StartAsync(settings =>
        {
            settings["JWT_EXPIRES_IN"] = "5m";
            settings["JWT_SECRET"] = "a-configured-secret-that-is-long-enough-for-hs256";
        });
        var email = TestUsers.NewEmail();
        await host.Client.RegisterAsync(email);

        var response = await host.Client.PostLoginAsync(email, TestUsers.DefaultPassword);

        var (access, _) = await response.ReadTokensAsync();
        Assert.Contains("\"expiresIn\":300", await response.Content.ReadAsStringAsync());
        var jwt = AuthTestExtensions.ReadJwt(access);
        Assert.InRange((jwt.ValidTo - jwt.IssuedAt).TotalSeconds, 299, 301);
        Assert.False(File.Exists(Path.Combine(host.DataDirectory, "jwt-secret")));
    }

    [Fact]
    public async Task The_dev_signing_key_is_kept_in_the_data_directory_so_tokens_survive_a_restart()
    {
        var host = await MindspaceTestHost.StartAsync();
        try
        {
            var user = await host.RegisterAndLoginAsync();
            Assert.True(File.Exists(Path.Combine(host.DataDirectory, "jwt-secret")));

            host = await host.RestartAsync();

            Assert.Equal(HttpStatusCode.OK, await host.MeStatusAsync(user.AccessToken));
            Assert.Equal(HttpStatusCode.OK, (await host.Client.PostRefreshAsync(user.RefreshToken)).StatusCode);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
