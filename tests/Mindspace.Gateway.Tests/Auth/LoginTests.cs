using System.Net;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Auth;

public sealed class LoginTests(SharedHost shared) : IClassFixture<SharedHost>
{
    private MindspaceTestHost Host => shared.Host;

    [Fact]
    public async Task Login_returns_a_token_pair_whose_access_token_names_only_user_session_and_roles()
    {
        var email = TestUsers.NewEmail();
        var register = await Host.Client.RegisterAsync(email);
        var userId = JsonDocument.Parse(await register.Content.ReadAsStringAsync()).RootElement.GetProperty("userId").GetGuid();

        var response = await Host.Client.PostLoginAsync(email.ToUpperInvariant(), TestUsers.DefaultPassword);

        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(900, body.GetProperty("expiresIn").GetInt32());
        Assert.Matches("^[0-9a-f]{32}\\.[A-Za-z0-9_-]{43}$", body.GetProperty("refreshToken").GetString());
        var jwt = AuthTestExtensions.ReadJwt(body.GetProperty("accessToken").GetString()!);
        Assert.Equal("HS256", jwt.Alg);
        Assert.Equal(userId.ToString("D"), jwt.Subject);
        Assert.True(Guid.TryParse(jwt.GetClaim("sid").Value, out _));
        Assert.Equal(["member"], jwt.Claims.Where(c => c.Type == "role").Select(c => c.Value));
        Assert.DoesNotContain(email, jwt.EncodedPayload, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(jwt.Claims, c => c.Value.Contains('@'));
        Assert.Equal(HttpStatusCode.OK, await Host.MeStatusAsync(jwt.EncodedToken));
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_email_get_the_same_401()
    {
        var user = await Host.RegisterAndLoginAsync();

        var wrongPassword = await Host.Client.PostLoginAsync(user.Email, "not-the-password");
        var unknownEmail = await Host.Client.PostLoginAsync(TestUsers.NewEmail("nobody"), "not-the-password");

        var first = await wrongPassword.AssertProblemAsync(HttpStatusCode.Unauthorized);
        var second = await unknownEmail.AssertProblemAsync(HttpStatusCode.Unauthorized);
        foreach (var member in new[] { "type", "title", "status", "detail" })
        {
            Assert.Equal(first.GetProperty(member).ToString(), second.GetProperty(member).ToString());
        }

        Assert.Equal(
            first.EnumerateObject().Select(p => p.Name).Order(),
            second.EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task Login_without_fields_names_them()
    {
        var response = await Host.Client.PostJsonAsync("/api/v1/auth/login", "{}");

        var problem = await response.AssertValidationProblemAsync("email");
        Assert.True(problem.GetProperty("errors").TryGetProperty("password", out _));
    }

    [Fact]
    public async Task Repeated_failures_lock_sign_in_even_for_the_right_password()
    {
        var user = await Host.RegisterAndLoginAsync();
        for (var i = 0; i < 4; i++)
        {
            await (await Host.Client.PostLoginAsync(user.Email, "wrong-password-" + i)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        }

        var fifth = await Host.Client.PostLoginAsync(user.Email, "wrong-password-5");
        var right = await Host.Client.PostLoginAsync(user.Email.ToUpperInvariant(), user.Password);

        await fifth.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        var problem = await right.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        var retryAfter = int.Parse(right.Headers.GetValues("Retry-After").Single());
        Assert.InRange(retryAfter, 14 * 60, 15 * 60);
        Assert.Contains("try again after", problem.GetProperty("detail").GetString());
        Assert.Contains("UTC", problem.GetProperty("detail").GetString());

        // The account's own log says what happened; other sessions keep working.
        var activity = JsonDocument.Parse(await user.Client.GetStringAsync("/api/v1/me/activity?limit=10")).RootElement;
        var kinds = activity.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("kind").GetString()).ToList();
        Assert.Equal("account.locked", kinds[0]);
        Assert.Equal(5, kinds.Count(k => k == "sign-in.failed"));
    }

    [Fact]
    public async Task An_unknown_email_is_locked_exactly_like_a_known_one()
    {
        var email = TestUsers.NewEmail("ghost");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await Host.Client.PostLoginAsync(email, "wrong-password")).StatusCode);
        }

        Assert.Equal(
            [.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 4), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests],
            statuses);
    }

    [Fact]
    public async Task A_successful_sign_in_is_logged_without_secrets()
    {
        var user = await Host.RegisterAndLoginAsync();

        var activity = await user.Client.GetStringAsync("/api/v1/me/activity");

        var items = JsonDocument.Parse(activity).RootElement.GetProperty("items");
        Assert.Equal(["sign-in", "account.created"], items.EnumerateArray().Select(i => i.GetProperty("kind").GetString()));
        Assert.Equal("127.0.0.1", items[0].GetProperty("ipAddress").GetString());
        Assert.DoesNotContain(user.Password, activity);
        Assert.DoesNotContain(user.RefreshToken.Split('.')[1], activity);
        Assert.DoesNotContain(user.AccessToken, activity);
    }
}

/// <summary>A host whose lockout is short, on a clock the test moves, to see the lockout end.</summary>
public sealed class ShortLockoutHost : SharedHost
{
    public override ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["LOGIN_MAX_FAILURES"] = "2";
        settings["LOGIN_LOCKOUT"] = "2s";
    }
}

public sealed class LockoutSettingsTests(ShortLockoutHost shared) : IClassFixture<ShortLockoutHost>
{
    [Fact]
    public async Task The_lockout_follows_its_settings_and_ends_by_itself()
    {
        var user = await shared.Host.RegisterAndLoginAsync();
        await (await shared.Host.Client.PostLoginAsync(user.Email, "wrong-password-1")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var locked = await shared.Host.Client.PostLoginAsync(user.Email, "wrong-password-2");
        await locked.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.InRange(int.Parse(locked.Headers.GetValues("Retry-After").Single()), 1, 2);

        shared.Clock.Advance(TimeSpan.FromSeconds(2.5));

        var response = await shared.Host.Client.PostLoginAsync(user.Email, user.Password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
