using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Mindspace.Gateway.Tests.Infrastructure;

/// <summary>A registered, signed-in user and a client that acts as them.</summary>
public sealed record TestUser(Guid UserId, string Email, string Password, string AccessToken, string RefreshToken, HttpClient Client);

public static class TestUsers
{
    public const string DefaultPassword = "calm-waters-42";

    /// <summary>Registers a new user with a unique email and signs them in.</summary>
    public static async Task<TestUser> RegisterAndLoginAsync(this MindspaceTestHost host, string? timeZone = null, string? email = null, string password = DefaultPassword)
    {
        email ??= $"user-{Guid.NewGuid():N}@example.test";
        var register = await host.Client.PostAsJsonAsync("/api/v1/auth/register", new { email, password, displayName = "Test Person", timeZone });
        Assert.Equal(HttpStatusCode.Created, register.StatusCode);
        var userId = (await register.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("userId").GetGuid();

        var tokens = await host.LoginAsync(email, password);
        return new TestUser(userId, email, password, tokens.AccessToken, tokens.RefreshToken, host.CreateClient(tokens.AccessToken));
    }

    public static async Task<(string AccessToken, string RefreshToken)> LoginAsync(this MindspaceTestHost host, string email, string password)
    {
        var login = await host.Client.PostAsJsonAsync("/api/v1/auth/login", new { email, password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var body = await login.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("accessToken").GetString()!, body.GetProperty("refreshToken").GetString()!);
    }
}
