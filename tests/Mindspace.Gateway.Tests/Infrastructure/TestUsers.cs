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
        email ??= NewEmail();
        var register = await host.Client.RegisterAsync(email, password, timeZone: timeZone);
        Assert.Equal(HttpStatusCode.Created, register.StatusCode);
        var userId = (await register.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("userId").GetGuid();

        var tokens = await host.LoginAsync(email, password);
        return new TestUser(userId, email, password, tokens.AccessToken, tokens.RefreshToken, host.CreateClient(tokens.AccessToken));
    }

    public static async Task<(string AccessToken, string RefreshToken)> LoginAsync(this MindspaceTestHost host, string email, string password)
        => await (await host.Client.PostLoginAsync(email, password)).ReadTokensAsync();

    public static Task<HttpResponseMessage> RegisterAsync(this HttpClient client, string email, string password = TestUsers.DefaultPassword, string displayName = "Test Person", string? timeZone = null)
        => client.PostAsJsonAsync("/api/v1/auth/register", new { email, password, displayName, timeZone });

    public static Task<HttpResponseMessage> PostLoginAsync(this HttpClient client, string email, string password)
        => client.PostAsJsonAsync("/api/v1/auth/login", new { email, password });

    public static Task<HttpResponseMessage> PostRefreshAsync(this HttpClient client, string refreshToken)
        => client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken });

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json)
        => client.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    public static async Task<(string AccessToken, string RefreshToken)> ReadTokensAsync(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200 but got {(int)response.StatusCode}: {body}");
        var json = JsonDocument.Parse(body).RootElement;
        return (json.GetProperty("accessToken").GetString()!, json.GetProperty("refreshToken").GetString()!);
    }

    public static string NewEmail(string prefix = "user") => $"{prefix}-{Guid.NewGuid():N}@example.test";
}
