using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Auth;

/// <summary>
/// One gateway shared by the tests of a class (each test uses its own fresh accounts), so the
/// suite does not start a host per test on a busy machine. Subclasses add settings.
/// </summary>
public class SharedHost : IAsyncLifetime
{
    public MindspaceTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await MindspaceTestHost.StartAsync(Configure);

    public async Task DisposeAsync() => await Host.DisposeAsync();

    protected virtual void Configure(IDictionary<string, string?> settings)
    {
    }
}

/// <summary>A host whose ADMIN_EMAILS names <see cref="AdminEmail"/>.</summary>
public sealed class AdminHost : SharedHost
{
    public const string AdminEmail = "Head.Admin@Example.test";

    protected override void Configure(IDictionary<string, string?> settings) => settings["ADMIN_EMAILS"] = $"someone@example.test, {AdminEmail.ToLowerInvariant()}";
}

public static class AuthTestExtensions
{
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

    /// <summary>Status of GET /api/v1/me with <paramref name="accessToken"/>.</summary>
    public static async Task<HttpStatusCode> MeStatusAsync(this MindspaceTestHost host, string accessToken)
    {
        using var client = host.CreateClient(accessToken);
        return (await client.GetAsync("/api/v1/me")).StatusCode;
    }

    public static string NewEmail(string prefix = "user") => $"{prefix}-{Guid.NewGuid():N}@example.test";

    /// <summary>The token's claims, read without validation.</summary>
    public static JsonWebToken ReadJwt(string token) => new(token);
}
