using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Focus;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Attention;

/// <summary>
/// One person, two devices, each with its own sign-in and live connection to <c>/hubs/attention</c>
/// (the real .NET SignalR client): a focus session started or ended on one reaches the other at once,
/// and the friction that device then asks for is the session's. The browser extension does the same
/// with the JavaScript client (<see cref="ExtensionEndToEndTests"/>).
/// </summary>
public sealed class FocusSessionLiveArmingTests(FocusApiFixture fixture) : IClassFixture<FocusApiFixture>
{
    private MindspaceTestHost Host => fixture.Host;

    [Fact]
    public async Task A_session_started_on_one_device_reaches_the_other_at_once_and_arms_its_friction()
    {
        var user = await Host.RegisterAndLoginAsync(timeZone: fixture.NoonZone);
        (await user.Client.PatchAsJsonAsync("/api/v1/attention/settings", new { categories = new Dictionary<string, string> { ["distract.example"] = "distracting" } })).EnsureSuccessStatusCode();
        var (phoneToken, _) = await Host.LoginAsync(user.Email, user.Password);
        using var phone = Host.CreateClient(phoneToken);
        var laptop = user.Client;

        await using var laptopLive = await ConnectAsync(user.AccessToken);
        await using var phoneLive = await ConnectAsync(phoneToken);
        Assert.Equal(JsonValueKind.Null, (await laptopLive.NextSessionAsync()).ValueKind);
        Assert.Equal(JsonValueKind.Null, (await phoneLive.NextSessionAsync()).ValueKind);
        Assert.Null(SessionFriction(await laptop.GetFromJsonAsync<JsonElement>("/api/v1/focus/friction")));

        // Started on the phone: the laptop's connection hears of it, and its friction is the session's.
        var started = await phone.PostAsJsonAsync("/api/v1/focus/sessions", new { plannedMinutes = 25, strictness = "firm" });
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var pushed = await laptopLive.NextSessionAsync();
        Assert.Equal(id, pushed.GetProperty("id").GetString());
        Assert.Equal("running", pushed.GetProperty("status").GetString());
        Assert.Equal(id, (await phoneLive.NextSessionAsync()).GetProperty("id").GetString());

        var armed = SessionFriction(await laptop.GetFromJsonAsync<JsonElement>("/api/v1/focus/friction"));
        Assert.NotNull(armed);
        Assert.Equal("pause", armed.Value.GetProperty("action").GetString());
        Assert.Contains("distract.example", armed.Value.GetProperty("sites").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("pause", await laptop.ActionAsync("https://distract.example/"));

        // Ended on the phone: the laptop hears that too, and nothing of the session is armed any more.
        (await phone.PostAsync($"/api/v1/focus/sessions/{id}/end", null)).EnsureSuccessStatusCode();
        var ended = await laptopLive.NextSessionAsync();
        Assert.Equal(id, ended.GetProperty("id").GetString());
        Assert.Equal("ended", ended.GetProperty("status").GetString());
        Assert.Null(SessionFriction(await laptop.GetFromJsonAsync<JsonElement>("/api/v1/focus/friction")));
    }

    /// <summary>The focus session's entry of a friction answer (the one without a rule), if any.</summary>
    private static JsonElement? SessionFriction(JsonElement friction)
    {
        foreach (var entry in friction.GetProperty("armed").EnumerateArray())
        {
            if (entry.GetProperty("ruleId").ValueKind == JsonValueKind.Null)
            {
                return entry;
            }
        }

        return null;
    }

    private Task<AttentionHubClient> ConnectAsync(string token)
        => AttentionHubClient.ConnectAsync(Host, token);
}
