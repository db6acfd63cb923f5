using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Mindfulness;

namespace Mindspace.Gateway.Tests.Mindfulness;

/// <summary>Logged practice, weekly progress without loss language, and today's challenge.</summary>
public sealed class PracticeTests(MindfulnessHost fixture) : IClassFixture<MindfulnessHost>
{
    private MindspaceTestHost Host => fixture.Host;

    [Fact]
    public async Task A_logged_session_is_listed_newest_first_by_when_it_was_completed_and_pages_with_after()
    {
        fixture.Set("2026-03-04T12:00:00Z");
        var user = await Host.RegisterAndLoginAsync(timeZone: "UTC");
        var logged = await user.Client.LogAsync("meditation", "breathing-space", 3, "2026-03-03T08:00:00Z");
        Assert.Equal("meditation", logged.GetProperty("kind").GetString());
        Assert.Equal("breathing-space", logged.GetProperty("itemId").GetString());
        Assert.Equal(3, logged.GetProperty("minutes").GetInt32());
        Assert.Equal(DateTimeOffset.Parse("2026-03-03T08:00:00Z"), logged.GetProperty("completedAt").GetDateTimeOffset());
        await user.Client.LogAsync("yoga", "childs-pose", 5, "2026-03-04T07:00:00Z");
        var now = await user.Client.LogAsync("challenge", "glass-of-water", 2); // completed now
        Assert.Equal(DateTimeOffset.Parse("2026-03-04T12:00:00Z"), now.GetProperty("completedAt").GetDateTimeOffset());
        await user.Client.LogAsync("meditation", "one-minute-pause", 1, "2026-03-01T20:00:00Z");

        var first = await user.Client.GetJsonAsync("/api/v1/mindfulness/sessions?limit=2");
        Assert.Equal(["glass-of-water", "childs-pose"], first.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("itemId").GetString()));
        var next = first.GetProperty("next").GetString();
        var second = await user.Client.GetJsonAsync("/api/v1/mindfulness/sessions?limit=2&after=" + Uri.EscapeDataString(next!));
        Assert.Equal(["breathing-space", "one-minute-pause"], second.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("itemId").GetString()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);
    }

    [Theory]
    [InlineData("""{"kind":"running","itemId":"childs-pose","minutes":5}""", "kind")]
    [InlineData("""{"itemId":"childs-pose","minutes":5}""", "kind")]
    [InlineData("""{"kind":"yoga","itemId":"breathing-space","minutes":5}""", "itemId")]
    [InlineData("""{"kind":"yoga","minutes":5}""", "itemId")]
    [InlineData("""{"kind":"yoga","itemId":"childs-pose","minutes":0}""", "minutes")]
    [InlineData("""{"kind":"yoga","itemId":"childs-pose","minutes":241}""", "minutes")]
    [InlineData("""{"kind":"yoga","itemId":"childs-pose"}""", "minutes")]
    [InlineData("""{"kind":"yoga","itemId":"childs-pose","minutes":5,"completedAt":"2026-03-04T12:30:00Z"}""", "completedAt")]
    [InlineData("""{"kind":"yoga","itemId":"childs-pose","minutes":5,"completedAt":"2026-01-01T12:00:00Z"}""", "completedAt")]
    [InlineData("""{"kind":"yoga","itemId":"childs-pose","minutes":5,"completedAt":"last tuesday"}""", "completedAt")]
    public async Task A_bad_session_is_a_400_naming_the_field_and_logs_nothing(string body, string field)
    {
        fixture.Set("2026-03-04T12:00:00Z");
        var user = await Host.RegisterAndLoginAsync();

        await (await user.Client.PostAsync("/api/v1/mindfulness/sessions", HttpJson.Json(body))).AssertValidationProblemAsync(field);

        Assert.Equal(0, (await user.Client.GetJsonAsync("/api/v1/mindfulness/sessions")).GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"kind":"yoga","itemId":"childs-pose","minutes":"ten"}""")]
    [InlineData("""{"kind":"yoga",""")]
    [InlineData("""[1,2]""")]
    public async Task Malformed_json_or_a_wrong_type_is_a_400_and_logs_nothing(string body)
    {
        var user = await Host.RegisterAndLoginAsync();

        await (await user.Client.PostAsync("/api/v1/mindfulness/sessions", HttpJson.Json(body))).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(0, (await user.Client.GetJsonAsync("/api/v1/mindfulness/sessions")).GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("after=", "after")]
    public async Task A_bad_page_request_is_a_400(string query, string field)
    {
        var user = await Host.RegisterAndLoginAsync();
        await (await user.Client.GetAsync("/api/v1/mindfulness/sessions?" + query + (field == "after" ? "&limit=5" : ""))).AssertValidationProblemAsync(field);
    }

    [Fact]
    public async Task Someone_elses_sessions_are_invisible_and_signing_in_is_needed()
    {
        fixture.Set("2026-03-04T12:00:00Z");
        var owner = await Host.RegisterAndLoginAsync(timeZone: "UTC");
        var other = await Host.RegisterAndLoginAsync(timeZone: "UTC");
        await owner.Client.LogAsync("meditation", "body-rest", 5);

        Assert.Equal(0, (await other.Client.GetJsonAsync("/api/v1/mindfulness/sessions")).GetProperty("items").GetArrayLength());
        var progress = await other.Client.GetJsonAsync("/api/v1/mindfulness/progress");
        Assert.Equal(0, progress.GetProperty("sessionsThisWeek").GetInt32());
        Assert.Equal(0, progress.GetProperty("sessionsInAll").GetInt64());
        Assert.Equal(1, (await owner.Client.GetJsonAsync("/api/v1/mindfulness/sessions")).GetProperty("items").GetArrayLength());

        Assert.Equal(HttpStatusCode.Unauthorized, (await Host.Client.GetAsync("/api/v1/mindfulness/sessions")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Host.Client.GetAsync("/api/v1/mindfulness/progress")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Host.Client.PostAsJsonAsync("/api/v1/mindfulness/sessions", new { kind = "yoga", itemId = "childs-pose", minutes = 5 })).StatusCode);
    }

    [Fact]
    public async Task Progress_counts_this_local_weeks_minutes_sessions_and_days_practised_and_nothing_before_it()
    {
        fixture.Set("2026-03-04T12:00:00Z"); // Wednesday
        var user = await Host.RegisterAndLoginAsync(timeZone: "Asia/Tokyo");
        await user.Client.LogAsync("meditation", "breathing-space", 10, "2026-03-01T23:30:00Z"); // Monday 08:30 in Tokyo
        await user.Client.LogAsync("yoga", "cat-cow", 5, "2026-03-02T01:00:00Z");            // Monday 10:00
        await user.Client.LogAsync("challenge", "one-song", 3, "2026-03-04T02:00:00Z");      // Wednesday 11:00
        await user.Client.LogAsync("meditation", "body-rest", 20, "2026-03-01T14:00:00Z");   // Sunday 23:00, last week

        var progress = await user.Client.GetJsonAsync("/api/v1/mindfulness/progress");

        Assert.Equal("2026-03-02", progress.GetProperty("weekStart").GetString());
        Assert.Equal("2026-03-08", progress.GetProperty("weekEnd").GetString());
        Assert.Equal("Asia/Tokyo", progress.GetProperty("timeZone").GetString());
        Assert.Equal(18, progress.GetProperty("minutesThisWeek").GetInt32());
        Assert.Equal(3, progress.GetProperty("sessionsThisWeek").GetInt32());
        Assert.Equal(2, progress.GetProperty("daysPractisedThisWeek").GetInt32());
        Assert.Equal(4, progress.GetProperty("sessionsInAll").GetInt64());
        var days = progress.GetProperty("days").EnumerateArray().ToList();
        Assert.Equal(7, days.Count);
        Assert.Equal([15, 0, 3, 0, 0, 0, 0], days.Select(d => d.GetProperty("minutes").GetInt32()));
        var message = progress.GetProperty("message").GetString()!;
        Assert.Equal("You practised on 2 days this week, 18 minutes in all. Each one was time you gave yourself.", message);
        NoLoss(message);
    }

    [Fact]
    public async Task A_week_after_a_break_starts_kindly_and_counts_only_good_days()
    {
        fixture.Set("2026-03-04T12:00:00Z");
        var user = await Host.RegisterAndLoginAsync(timeZone: "UTC");
        await user.Client.LogAsync("meditation", "one-minute-pause", 1, "2026-03-04T09:00:00Z");
        fixture.Set("2026-03-18T12:00:00Z"); // two weeks later, nothing since

        var progress = await user.Client.GetJsonAsync("/api/v1/mindfulness/progress");

        Assert.Equal(0, progress.GetProperty("daysPractisedThisWeek").GetInt32());
        Assert.Equal(1, progress.GetProperty("sessionsInAll").GetInt64());
        var message = progress.GetProperty("message").GetString()!;
        Assert.Contains("that's okay", message);
        NoLoss(message);

        await user.Client.LogAsync("yoga", "mountain-pose", 1);
        var after = await user.Client.GetJsonAsync("/api/v1/mindfulness/progress");
        Assert.Equal(1, after.GetProperty("daysPractisedThisWeek").GetInt32());
        Assert.Equal("You practised on 1 day this week (1 minute). That was a kind thing to do for yourself.", after.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Todays_challenge_follows_the_local_date_of_the_profiles_zone()
    {
        fixture.Set("2026-03-04T12:00:00Z");
        var east = await Host.RegisterAndLoginAsync(timeZone: "Pacific/Kiritimati"); // UTC+14: already 5 March
        var west = await Host.RegisterAndLoginAsync(timeZone: "Pacific/Pago_Pago");  // UTC−11: still 4 March

        var ahead = await east.Client.GetJsonAsync("/api/v1/mindfulness/challenges/today");
        var behind = await west.Client.GetJsonAsync("/api/v1/mindfulness/challenges/today");

        Assert.Equal("2026-03-05", ahead.GetProperty("date").GetString());
        Assert.Equal("Pacific/Kiritimati", ahead.GetProperty("timeZone").GetString());
        Assert.Equal("2026-03-04", behind.GetProperty("date").GetString());
        Assert.Equal(MindfulnessCatalogue.ChallengeFor(new DateOnly(2026, 3, 5)).Id, ahead.GetProperty("challenge").GetProperty("id").GetString());
        Assert.Equal(MindfulnessCatalogue.ChallengeFor(new DateOnly(2026, 3, 4)).Id, behind.GetProperty("challenge").GetProperty("id").GetString());
        Assert.NotEqual(ahead.GetProperty("challenge").GetProperty("id").GetString(), behind.GetProperty("challenge").GetProperty("id").GetString());

        fixture.Set("2026-03-04T23:59:00Z"); // later the same local day in Pago Pago: the same challenge
        Assert.Equal(behind.GetProperty("challenge").GetProperty("id").GetString(), (await west.Client.GetJsonAsync("/api/v1/mindfulness/challenges/today")).GetProperty("challenge").GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await Host.Client.GetAsync("/api/v1/mindfulness/challenges/today")).StatusCode);
    }

    [Fact]
    public async Task Every_challenge_comes_round_and_each_is_small()
    {
        var all = await Host.Client.GetJsonAsync("/api/v1/mindfulness/challenges");
        var ids = all.EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToHashSet();
        var chosen = Enumerable.Range(0, ids.Count).Select(i => MindfulnessCatalogue.ChallengeFor(new DateOnly(2026, 1, 1).AddDays(i)).Id).ToHashSet();

        Assert.Equal(ids, chosen);
        Assert.All(all.EnumerateArray(), c => Assert.InRange(c.GetProperty("minutes").GetInt32(), 1, 5));
    }

    [Fact]
    public async Task Export_includes_the_sessions_and_deleting_the_account_erases_them()
    {
        fixture.Set("2026-03-04T12:00:00Z");
        var user = await Host.RegisterAndLoginAsync();
        await user.Client.LogAsync("yoga", "legs-up-the-wall", 4);

        var export = await user.Client.GetJsonAsync("/api/v1/me/export");
        Assert.Equal("legs-up-the-wall", export.GetProperty("mindfulness").GetProperty("sessions").EnumerateArray().Single().GetProperty("itemId").GetString());

        var deleted = await user.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { password = user.Password }) });
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty((await Host.Grains.GetGrain<IMindfulnessGrain>(user.UserId).ExportAsync()).Sessions);
    }

    private static void NoLoss(string text)
    {
        foreach (var phrase in new[] { "streak", "missed", "broke", "lost", "failed", "only", "should", "behind", "again" })
        {
            Assert.DoesNotContain(phrase, text, StringComparison.OrdinalIgnoreCase);
        }
    }
}
