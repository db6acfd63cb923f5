// The embedded gateway a module benchmark hosts in its own process, and its signed-in people.
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Hosting;

namespace Mindspace.Bench;

public static class BenchHost
{
    public const string Password = "bench-password-42";

    /// <summary>
    /// The gateway in embedded mode on a free loopback port and a fresh data folder under the temp
    /// folder, rate limits lifted and logging at warnings; <paramref name="settings"/> adds or overrides.
    /// </summary>
    public static (WebApplication App, string DataDir) Build(string name, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var dataDir = Directory.CreateTempSubdirectory($"mindspace-{name}").FullName;
        var values = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["DATA_DIR"] = dataDir,
            ["RATE_LIMIT_AUTH_PER_MINUTE"] = "1000000",
            ["RATE_LIMIT_USER_PER_MINUTE"] = "1000000",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        return (MindspaceGateway.Build([], builder => builder.Configuration.AddInMemoryCollection(values)), dataDir);
    }

    /// <summary>Registers <paramref name="email"/> and signs in; returns the access token.</summary>
    public static async Task<string> SignInAsync(HttpClient anonymous, string email, string displayName = "Bench")
    {
        (await anonymous.PostAsJsonAsync("/api/v1/auth/register", new { email, password = Password, displayName })).EnsureSuccessStatusCode();
        using var response = (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password })).EnsureSuccessStatusCode();
        var login = await response.Content.ReadFromJsonAsync<JsonElement>();
        return login.GetProperty("accessToken").GetString()!;
    }

    /// <summary>A client of <paramref name="url"/> that sends <paramref name="token"/> as its bearer token.</summary>
    public static HttpClient Client(Uri url, string token)
    {
        var client = new HttpClient { BaseAddress = url };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }
}
