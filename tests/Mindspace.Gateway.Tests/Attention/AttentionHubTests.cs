using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Mindspace.Gateway.Tests.Infrastructure;
using static Mindspace.Gateway.Tests.Attention.AttentionHttp;

namespace Mindspace.Gateway.Tests.Attention;

/// <summary>The attention hub through the real .NET SignalR client.</summary>
public sealed class AttentionHubTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private MindspaceTestHost Host => fixture.Host;

    [Fact]
    public async Task Each_batch_sent_over_the_hub_is_acknowledged_and_stored()
    {
        var user = await Host.RegisterAndLoginAsync();
        await using var hub = await ConnectAsync(user.AccessToken);
        var t = BaseHour();

        var ack = await hub.Connection.InvokeAsync<JsonElement>("SendTicks", new { ticks = new[] { Tick("example.com", t, 30), Tick("example.net", t.AddMinutes(1), 20) } });
        Assert.Equal(2, ack.GetProperty("accepted").GetInt32());
        var again = await hub.Connection.InvokeAsync<JsonElement>("SendTicks", new { ticks = new[] { Tick("example.com", t.AddMinutes(2), 10, id: "same"), Tick("example.com", t.AddMinutes(2), 10, id: "same") } });
        Assert.Equal(1, again.GetProperty("accepted").GetInt32());
        Assert.Equal(1, again.GetProperty("duplicates").GetInt32());

        Assert.Equal(60, (await user.Client.SummaryAsync(t, t.AddHours(1))).TotalSeconds());
    }

    [Fact]
    public async Task A_bad_batch_over_the_hub_is_refused_with_a_reason_and_stores_nothing()
    {
        var user = await Host.RegisterAndLoginAsync();
        await using var hub = await ConnectAsync(user.AccessToken);
        var t = BaseHour();

        var error = await Assert.ThrowsAsync<HubException>(() => hub.Connection.InvokeAsync<JsonElement>(
            "SendTicks", new { ticks = new[] { Tick("example.com", t, 30), Tick("example.com", t.AddMinutes(1), -3) } }));
        Assert.Contains("ticks[1].durationSec", error.Message, StringComparison.Ordinal);

        var oversized = await Assert.ThrowsAsync<HubException>(() => hub.Connection.InvokeAsync<JsonElement>(
            "SendTicks", new { ticks = Enumerable.Range(0, 501).Select(i => Tick("example.com", t.AddSeconds(i), 1)) }));
        Assert.Contains("500", oversized.Message, StringComparison.Ordinal);

        var foreign = await Assert.ThrowsAsync<HubException>(() => hub.Connection.InvokeAsync<JsonElement>(
            "SendTicks", new { ticks = new[] { Tick("example.com", t, 30, sessionId: Guid.NewGuid()) } }));
        Assert.Contains("not one of yours", foreign.Message, StringComparison.Ordinal);

        Assert.Equal(0, (await user.Client.SummaryAsync(t, t.AddHours(1))).TotalSeconds());
        Assert.True(hub.Connection.State == HubConnectionState.Connected, "A refused batch leaves the connection open.");
    }

    [Fact]
    public async Task The_focus_session_is_pushed_live_as_it_changes()
    {
        var user = await Host.RegisterAndLoginAsync();
        await using var hub = await ConnectAsync(user.AccessToken);
        var initial = await hub.NextSessionAsync();
        Assert.Equal(JsonValueKind.Null, initial.ValueKind);

        var started = await user.Client.PostAsJsonAsync("/api/v1/focus/sessions", new { plannedMinutes = 30, strictness = "firm" });
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var running = await hub.NextSessionAsync();
        Assert.Equal(id, running.GetProperty("id").GetString());
        Assert.Equal("running", running.GetProperty("status").GetString());

        await user.Client.PostAsync($"/api/v1/focus/sessions/{id}/pause", null);
        Assert.Equal("paused", (await hub.NextSessionAsync()).GetProperty("status").GetString());
        await user.Client.PostAsync($"/api/v1/focus/sessions/{id}/end", null);
        var ended = await hub.NextSessionAsync();
        Assert.Equal("ended", ended.GetProperty("status").GetString());
        Assert.Equal(30, ended.GetProperty("report").GetProperty("plannedMinutes").GetInt32());

        var current = await hub.Connection.InvokeAsync<JsonElement?>("GetFocusSession");
        Assert.True(current is null || current.Value.ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task The_hub_refuses_a_connection_without_a_token()
    {
        await Assert.ThrowsAsync<HttpRequestException>(() => ConnectAsync(null));
    }

    private Task<AttentionHubClient> ConnectAsync(string? token)
        => AttentionHubClient.ConnectAsync(Host, token);
}
