using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Auth;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Mindfulness;

/// <summary>
/// One gateway per test class whose grains read a <see cref="ManualClock"/> in March 2026 (tests set
/// it before anything that depends on "now"); access tokens live for years so the real clock still
/// accepts them.
/// </summary>
public sealed class MindfulnessHost : SharedHost
{
    private readonly ManualClock _clock = new(DateTimeOffset.Parse("2026-03-04T12:00:00Z", CultureInfo.InvariantCulture));

    public override TimeProvider? Clock => _clock;

    public void Set(string instant) => _clock.Set(DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture));

    protected override void Configure(IDictionary<string, string?> settings) => settings["JWT_EXPIRES_IN"] = "3650d";
}

internal static class MindfulnessHttp
{
    public static async Task<JsonElement> LogAsync(this HttpClient client, string kind, string itemId, int minutes, string? completedAt = null)
    {
        var response = await client.PostAsJsonAsync("/api/v1/mindfulness/sessions", new { kind, itemId, minutes, completedAt });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }
}
