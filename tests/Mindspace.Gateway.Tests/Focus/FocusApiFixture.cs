using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Focus;

/// <summary>
/// One gateway per test class with a clock frozen ten minutes before the real time of start (to the
/// minute), so schedules and "today" are decided at a known instant. Access tokens are issued on this
/// clock and checked against the real one: tests move it forward by a few minutes at most, so a
/// token is never issued "in the future", and tokens live a day.
/// </summary>
public sealed class FocusApiFixture : IAsyncLifetime
{
    public ManualClock Clock { get; } = new(Minute(DateTimeOffset.UtcNow.AddMinutes(-10)));

    public MindspaceTestHost Host { get; private set; } = null!;

    /// <summary>A fixed-offset zone where the clock reads about noon: "today" and schedules never cross midnight in a test.</summary>
    public string NoonZone
    {
        get
        {
            var offset = 12 - Clock.GetUtcNow().Hour;
            return offset switch
            {
                0 => "Etc/GMT",
                > 0 => $"Etc/GMT-{offset}",
                _ => $"Etc/GMT+{-offset}",
            };
        }
    }

    public async Task InitializeAsync() => Host = await MindspaceTestHost.StartAsync(settings => settings["JWT_EXPIRES_IN"] = "1d", Clock);

    public async Task DisposeAsync() => await Host.DisposeAsync();

    private static DateTimeOffset Minute(DateTimeOffset t) => new(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0, TimeSpan.Zero);
}

internal static class FocusHttp
{
    public static async Task<JsonElement> CreateRuleAsync(this HttpClient client, object rule)
    {
        var response = await client.PostAsJsonAsync("/api/v1/focus/rules", rule);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    public static async Task<JsonElement> DecideAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync("/api/v1/focus/decision?url=" + Uri.EscapeDataString(url));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    public static async Task<string> ActionAsync(this HttpClient client, string url) => (await client.DecideAsync(url)).GetProperty("action").GetString()!;

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string path, string json)
        => client.PatchAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
}
