using System.Globalization;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Gateway.Tests.Therapist;
using Mindspace.Grains.Interfaces.Reports;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Shop;

/// <summary>
/// What the plans change, checked by the gateway: model-backed therapist replies only on Plus (the CBT
/// engine answers everyone else, in the same turn and without an upsell), and how far back weekly
/// digests can be looked at (free 4 weeks, Plus 52). The plan comes only from a signed provider webhook.
/// </summary>
public sealed class PlanEntitlementTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new(DateTimeOffset.Parse("2026-05-01T12:00:00Z", CultureInfo.InvariantCulture));
    private FakeOllama _ollama = null!;
    private MindspaceTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _ollama = await FakeOllama.StartAsync();
        _host = await MindspaceTestHost.StartAsync(
            settings =>
            {
                settings["OLLAMA_URL"] = _ollama.Url.ToString();
                settings["OLLAMA_MODEL"] = FakeOllama.Model;
                settings["OLLAMA_FIRST_TOKEN_TIMEOUT"] = "5s";
                settings["THERAPIST_MESSAGES_PER_MINUTE"] = "1000";
                settings["STRIPE_WEBHOOK_SECRETS"] = ShopFixture.StripeSecret;
                settings["JWT_EXPIRES_IN"] = "3650d"; // tokens outlive the weeks this test moves the clock through
            },
            _clock);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _ollama.DisposeAsync();
    }

    [Fact]
    public async Task The_model_answers_only_members_on_plus_and_the_engine_answers_everyone_else()
    {
        var user = await _host.RegisterAndLoginAsync();
        var conversation = await user.StartConversationAsync();
        await using var hub = await _host.HubAsync(user);

        const string FreeText = "I had a long day and my head is still buzzing";
        var free = await hub.SendAsync(conversation, FreeText);
        Assert.Equal("engine", free.Str("source"));
        Assert.NotEmpty(free.Str("text"));
        Assert.DoesNotContain("Plus", free.Str("text"), StringComparison.Ordinal);
        Assert.DoesNotContain(_ollama.Requests, request => LastMessage(request) == FreeText);

        await SubscribeAsync(user.UserId, "active");

        const string PlusText = "I had a long day and my head is still buzzing again";
        var plus = await hub.SendAsync(conversation, PlusText);
        Assert.Equal("model", plus.Str("source"));
        Assert.Equal(FakeOllama.KindAnswer, plus.Str("text"));
        Assert.Contains(_ollama.Requests, request => LastMessage(request) == PlusText);

        await SubscribeAsync(user.UserId, "canceled");
        var cancelled = await hub.SendAsync(conversation, "Back on the free plan, still talking");
        Assert.Equal("engine", cancelled.Str("source"));
    }

    [Fact]
    public async Task Free_members_look_back_four_weeks_of_digests_and_plus_members_a_year()
    {
        _clock.Set(DateTimeOffset.Parse("2026-01-01T12:00:00Z", CultureInfo.InvariantCulture));
        var user = await _host.RegisterAndLoginAsync(timeZone: "UTC");
        var digests = _host.Grains.GetGrain<IWeeklyDigestGrain>(user.UserId);
        var monday = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
        for (var week = 0; week < 8; week++)
        {
            _clock.Set(monday.AddDays(7 * week));
            Assert.NotNull(await digests.RunDueAsync());
        }

        // Today is Monday 2026-02-23; the newest digest covers the week of 2026-02-16.
        var free = await user.Client.GetJsonAsync("/api/v1/reports/weekly?limit=52");
        Assert.Equal(["2026-02-16", "2026-02-09", "2026-02-02", "2026-01-26"], WeekStarts(free));
        Assert.Equal(JsonValueKind.Null, free.GetProperty("nextBefore").ValueKind);

        var freePaged = await user.Client.GetJsonAsync("/api/v1/reports/weekly?limit=3");
        Assert.Equal("2026-02-02", freePaged.GetProperty("nextBefore").GetString());
        var freeLast = await user.Client.GetJsonAsync("/api/v1/reports/weekly?limit=3&before=2026-02-02");
        Assert.Equal(["2026-01-26"], WeekStarts(freeLast));
        Assert.Equal(JsonValueKind.Null, freeLast.GetProperty("nextBefore").ValueKind);
        Assert.Empty(WeekStarts(await user.Client.GetJsonAsync("/api/v1/reports/weekly?before=2026-01-20")));

        // Nothing was deleted: the export keeps every digest, and Plus shows them all again.
        var export = await user.Client.GetJsonAsync("/api/v1/me/export");
        Assert.Equal(8, export.GetProperty("reports").GetProperty("weeklyDigests").GetArrayLength());
        await SubscribeAsync(user.UserId, "active");
        var plus = await user.Client.GetJsonAsync("/api/v1/reports/weekly?limit=52");
        Assert.Equal(8, WeekStarts(plus).Count);
    }

    private async Task SubscribeAsync(Guid userId, string status)
    {
        // Each event a second after the last: an older event than the last applied one changes nothing.
        var at = _clock.GetUtcNow().AddSeconds(_subscriptionEvents++);
        var type = status == "canceled" ? "customer.subscription.deleted" : "customer.subscription.updated";
        using var response = await _host.PostSubscriptionAsync(ShopHttp.SubscriptionEvent(userId, type, status, at), _clock.GetUtcNow(), ShopFixture.StripeSecret);
        Assert.True(response.IsSuccessStatusCode, $"the subscription webhook answered {(int)response.StatusCode}");
    }

    private int _subscriptionEvents;

    private static string? LastMessage(JsonElement request)
        => request.GetProperty("messages").EnumerateArray().Last().GetProperty("content").GetString();

    private static List<string?> WeekStarts(JsonElement page)
        => page.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("weekStart").GetString()).ToList();
}
