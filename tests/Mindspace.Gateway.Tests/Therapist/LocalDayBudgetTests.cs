using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Therapist;

/// <summary>The day's model budget renews at the person's own midnight (the profile's zone), not at UTC midnight.</summary>
public sealed class LocalDayBudgetTests : IAsyncLifetime
{
    // 06:00 UTC on a coming day: 15:00 in Tokyo (UTC+9, no daylight saving); Tokyo's midnight is 15:00 UTC.
    private static readonly DateTimeOffset Start = new(DateTimeOffset.UtcNow.UtcDateTime.Date.AddDays(1).AddHours(6), TimeSpan.Zero);
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private FakeOllama _ollama = null!;
    private MindspaceTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _ollama = await FakeOllama.StartAsync();
        _host = await _ollama.StartGatewayAsync(
            settings =>
            {
                settings["THERAPIST_MESSAGES_PER_MINUTE"] = "1000";
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
    public async Task The_budget_renews_at_local_midnight_in_Tokyo_while_it_is_still_the_same_day_in_UTC()
    {
        var user = await _host.RegisterAndLoginAsync(timeZone: "Asia/Tokyo");
        var conversation = await user.StartConversationAsync();
        await using var hub = await _host.HubAsync(user);

        // Signed in and connected at the real time (tokens are checked against it); then the product clock moves on.
        _clock.Set(Start);
        Assert.Equal("model", (await hub.SendAsync(conversation, "I had a rough afternoon")).Str("source"));
        Assert.Equal("engine", (await hub.SendAsync(conversation, "and it goes on")).Str("source"));

        // 23:30 in Tokyo: still the same local day, the budget stays spent.
        _clock.Set(Start.AddHours(8.5));
        Assert.Equal("engine", (await hub.SendAsync(conversation, "late evening now")).Str("source"));

        // 00:30 in Tokyo, the next local day, while UTC is still on the day the tokens were spent.
        _clock.Set(Start.AddHours(9.5));
        Assert.Equal(Start.UtcDateTime.Date, _clock.GetUtcNow().UtcDateTime.Date);
        Assert.Equal("model", (await hub.SendAsync(conversation, "just after midnight")).Str("source"));
    }
}
