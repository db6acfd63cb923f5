using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Therapist;

/// <summary>Per-user limits on the model: a kind message, never an error, and never in the way of safety.</summary>
public sealed class LimitsTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private FakeOllama _ollama = null!;
    private MindspaceTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _ollama = await FakeOllama.StartAsync();
        _host = await _ollama.StartGatewayAsync(
            settings =>
            {
                settings["THERAPIST_MESSAGES_PER_MINUTE"] = "3";
                settings["THERAPIST_TOKENS_PER_DAY"] = "1";
            },
            _clock);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _ollama.DisposeAsync();
    }

    [Fact]
    public async Task Past_the_limits_the_user_gets_kind_messages_and_high_risk_still_gets_the_crisis_reply()
    {
        var user = await _host.RegisterAndLoginAsync();
        var conversation = await user.StartConversationAsync();
        await using var hub = await _host.HubAsync(user);

        var first = await hub.SendAsync(conversation, "I had a rough day");
        Assert.Equal("model", first.Str("source"));

        // The day's tokens are spent (the limit is 1): the engine answers and says so kindly.
        var second = await hub.SendAsync(conversation, "and I can't sleep");
        Assert.Equal("engine", second.Str("source"));
        Assert.Contains("still here with you", second.Str("text"), StringComparison.Ordinal);

        // The fourth message within the minute (the limit is 3) is asked to slow down, kindly.
        await hub.SendAsync(conversation, "still awake");
        var fourth = await hub.SendAsync(conversation, "hello?");
        Assert.Contains("let's take a breath together", fourth.Str("text"), StringComparison.Ordinal);

        // Safety is never rate limited.
        var crisis = await hub.SendAsync(conversation, "I want to kill myself");
        Assert.Contains("are you thinking about ending your life?", crisis.Str("text"), StringComparison.Ordinal);

        // A minute later and the next day, the model is back.
        _clock.Advance(TimeSpan.FromDays(1));
        var later = await hub.SendAsync(conversation, "good morning");
        Assert.Equal("model", later.Str("source"));
        Assert.Equal(JsonValueKind.String, later.GetProperty("text").ValueKind);
    }
}
