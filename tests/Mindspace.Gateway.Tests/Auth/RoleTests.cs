using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Cli;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Auth;

public sealed class RoleTests(AdminHost shared) : IClassFixture<AdminHost>
{
    private MindspaceTestHost Host => shared.Host;

    [Fact]
    public async Task A_member_calling_an_admin_endpoint_gets_403_and_anonymous_gets_401()
    {
        var member = await Host.RegisterAndLoginAsync();
        var target = await Host.RegisterAndLoginAsync();

        var asMember = await member.Client.PostAsJsonAsync($"/api/v1/admin/users/{target.UserId}/roles", new { role = "moderator" });
        var asNobody = await Host.Client.PostAsJsonAsync($"/api/v1/admin/users/{target.UserId}/roles", new { role = "moderator" });

        await asMember.AssertProblemAsync(HttpStatusCode.Forbidden);
        await asNobody.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_admin_from_ADMIN_EMAILS_grants_moderator_which_shows_after_refresh()
    {
        var admin = await AdminAsync();
        var target = await Host.RegisterAndLoginAsync();
        Assert.Contains("admin", RolesOf(admin.AccessToken));

        var grant = await admin.Client.PostAsJsonAsync($"/api/v1/admin/users/{target.UserId}/roles", new { role = "Moderator" });

        Assert.Equal(HttpStatusCode.OK, grant.StatusCode);
        var body = await grant.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["member", "moderator"], body.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.DoesNotContain("moderator", RolesOf(target.AccessToken)); // the old token keeps its roles...
        var (refreshed, _) = await (await Host.Client.PostRefreshAsync(target.RefreshToken)).ReadTokensAsync();
        Assert.Contains("moderator", RolesOf(refreshed)); // ...the next one carries the change
        var activity = await Host.CreateClient(refreshed).GetStringAsync("/api/v1/me/activity");
        Assert.Contains("role.granted", activity);

        var revoke = await admin.Client.DeleteAsync($"/api/v1/admin/users/{target.UserId}/roles/moderator");
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(["member"], (await revoke.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task A_moderator_is_not_an_admin()
    {
        var admin = await AdminAsync();
        var moderator = await Host.RegisterAndLoginAsync();
        await admin.Client.PostAsJsonAsync($"/api/v1/admin/users/{moderator.UserId}/roles", new { role = "moderator" });
        var (token, _) = await Host.LoginAsync(moderator.Email, moderator.Password);

        var response = await Host.CreateClient(token).PostAsJsonAsync($"/api/v1/admin/users/{moderator.UserId}/roles", new { role = "admin" });

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Granting_to_an_unknown_user_is_404_and_an_unknown_role_is_400()
    {
        var admin = await AdminAsync();

        await (await admin.Client.PostAsJsonAsync($"/api/v1/admin/users/{Guid.NewGuid()}/roles", new { role = "moderator" }))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.Client.DeleteAsync($"/api/v1/admin/users/{Guid.NewGuid()}/roles/moderator"))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.Client.PostAsJsonAsync("/api/v1/admin/users/not-a-guid/roles", new { role = "moderator" })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.Client.PostAsJsonAsync($"/api/v1/admin/users/{admin.UserId}/roles", new { role = "overlord" }))
            .AssertValidationProblemAsync("role");
        await (await admin.Client.DeleteAsync($"/api/v1/admin/users/{admin.UserId}/roles/member"))
            .AssertValidationProblemAsync("role");
    }

    [Fact]
    public async Task The_grant_role_command_makes_an_admin_of_an_existing_account()
    {
        var user = await Host.RegisterAndLoginAsync();
        var output = new StringWriter();
        var error = new StringWriter();

        var exitCode = await GrantRoleCommand.TryRunAsync(["grant-role", user.Email.ToUpperInvariant(), "admin", $"--DATA_DIR={Host.DataDirectory}"], output, error);

        Assert.True(exitCode == 0, error.ToString());
        Assert.Contains("Granted admin", output.ToString());
        Assert.DoesNotContain("@", output.ToString());
        Assert.Equal(1, await GrantRoleCommand.TryRunAsync(["grant-role", TestUsers.NewEmail(), "admin", $"--DATA_DIR={Host.DataDirectory}"], output, error));
        Assert.Equal(2, await GrantRoleCommand.TryRunAsync(["grant-role", user.Email, "overlord"], output, error));
        Assert.Null(await GrantRoleCommand.TryRunAsync([], output, error));
        Assert.Null(await GrantRoleCommand.TryRunAsync(["--urls", "http://localhost:1"], output, error));
    }

    private async Task<TestUser> AdminAsync()
    {
        var existing = await Host.Client.PostLoginAsync(AdminHost.AdminEmail, TestUsers.DefaultPassword);
        if (existing.StatusCode == HttpStatusCode.Unauthorized)
        {
            await Host.Client.RegisterAsync(AdminHost.AdminEmail);
        }

        var (access, refresh) = await Host.LoginAsync(AdminHost.AdminEmail, TestUsers.DefaultPassword);
        return new TestUser(Guid.Parse(AuthTestExtensions.ReadJwt(access).Subject), AdminHost.AdminEmail, TestUsers.DefaultPassword, access, refresh, Host.CreateClient(access));
    }

    private static List<string> RolesOf(string accessToken)
        => [.. AuthTestExtensions.ReadJwt(accessToken).Claims.Where(c => c.Type == "role").Select(c => c.Value)];
}
