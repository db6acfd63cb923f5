using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Auth;
using Mindspace.Gateway.Tests.CheckIns;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Notifications;
using Mindspace.Grains.Notifications;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Notifications;

/// <summary>One gateway on a manual clock for the reminder tests (tokens outlive the clock's jumps).</summary>
public sealed class RemindersHost : SharedHost
{
    private readonly ManualClock _clock = new(DateTimeOffset.Parse("2026-03-01T12:00:00Z", CultureInfo.InvariantCulture));

    public override TimeProvider? Clock => _clock;

    public void Set(string instant) => _clock.Set(DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture));

    protected override void Configure(IDictionary<string, string?> settings) => settings["JWT_EXPIRES_IN"] = "3650d";
}

/// <summary>
/// Check-in and meditation reminders at the user's local time, on a manual clock: off by default,
/// on time across daylight saving, skipped after a check-in, worded without pressure.
/// </summary>
public sealed class NotificationsRemindersTests(RemindersHost shared) : IClassFixture<RemindersHost>
{
    private MindspaceTestHost Host => shared.Host;

    [Fact]
    public async Task Reminders_are_off_until_turned_on_and_off_means_nothing_is_sent()
    {
        shared.Set("2026-04-06T10:00:00Z");
        var user = await Host.RegisterAndLoginAsync(timeZone: "Europe/Berlin");
        var reminders = await user.Client.GetOkAsync("/api/v1/notifications/reminders");
        Assert.False(reminders.GetProperty("checkIn").GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, reminders.GetProperty("checkIn").GetProperty("nextAt").ValueKind);
        Assert.Equal("20:00", reminders.GetProperty("checkIn").GetProperty("time").GetString());
        Assert.Equal(7, reminders.GetProperty("meditation").GetProperty("days").GetArrayLength());
        Assert.Equal("Europe/Berlin", reminders.GetProperty("timeZone").GetString());

        var grain = Host.Grains.GetGrain<INotificationRemindersGrain>(user.UserId);
        shared.Set("2026-04-06T18:00:00Z"); // 20:00 in Berlin
        Assert.Empty(await grain.RunDueAsync());

        // Saved but disabled: still nothing.
        await PutAsync(user, new { checkIn = new { enabled = false, time = "21:00" }, meditation = new { enabled = false, time = "21:00" } });
        shared.Set("2026-04-07T19:00:00Z");
        Assert.Empty(await grain.RunDueAsync());
        Assert.DoesNotContain((await user.Client.ListAsync()).Select(n => n.GetProperty("category").GetString()), c => c == "reminders");
    }

    [Fact]
    public async Task The_check_in_reminder_comes_at_the_local_time_across_the_spring_clock_change()
    {
        shared.Set("2026-03-28T12:00:00Z"); // Saturday, CET (UTC+1)
        var user = await Host.RegisterAndLoginAsync(timeZone: "Europe/Berlin");
        var grain = Host.Grains.GetGrain<INotificationRemindersGrain>(user.UserId);
        var saved = await PutAsync(user, new { checkIn = new { enabled = true, time = "20:00" } });
        Assert.Equal(DateTimeOffset.Parse("2026-03-28T19:00:00Z", CultureInfo.InvariantCulture), saved.GetProperty("checkIn").GetProperty("nextAt").GetDateTimeOffset());
        Assert.False(saved.GetProperty("meditation").GetProperty("enabled").GetBoolean());

        shared.Set("2026-03-28T18:59:59Z");
        Assert.Empty(await grain.RunDueAsync());
        shared.Set("2026-03-28T19:00:00Z");
        Assert.Equal([ReminderKinds.CheckIn], await grain.RunDueAsync());
        Assert.Empty(await grain.RunDueAsync()); // once per occurrence

        // Sunday the clocks go forward: 20:00 is now 18:00 UTC.
        shared.Set("2026-03-29T17:59:00Z");
        Assert.Empty(await grain.RunDueAsync());
        shared.Set("2026-03-29T18:00:00Z");
        Assert.Equal([ReminderKinds.CheckIn], await grain.RunDueAsync());
        Assert.Equal(
            DateTimeOffset.Parse("2026-03-30T18:00:00Z", CultureInfo.InvariantCulture),
            (await user.Client.GetOkAsync("/api/v1/notifications/reminders")).GetProperty("checkIn").GetProperty("nextAt").GetDateTimeOffset());

        var reminders = (await user.Client.ListAsync()).Where(n => n.GetProperty("kind").GetString() == ReminderKinds.CheckIn).ToList();
        Assert.Equal(2, reminders.Count);
        Assert.All(reminders, r => Assert.Equal("reminders", r.GetProperty("category").GetString()));
        Assert.Equal(NotificationRemindersGrain.Wording(ReminderKinds.CheckIn).Title, reminders[0].GetProperty("title").GetString());
    }

    [Fact]
    public async Task The_check_in_reminder_is_skipped_on_a_day_they_already_checked_in_and_meditation_still_comes()
    {
        shared.Set("2026-05-04T06:00:00Z"); // Monday, CEST (UTC+2)
        var user = await Host.RegisterAndLoginAsync(timeZone: "Europe/Berlin");
        var grain = Host.Grains.GetGrain<INotificationRemindersGrain>(user.UserId);
        await PutAsync(user, new
        {
            checkIn = new { enabled = true, time = "20:00", days = new[] { "monday", "tuesday" } },
            meditation = new { enabled = true, time = "20:00", days = new[] { "Monday", "tuesday" } },
        });

        shared.Set("2026-05-04T12:00:00Z");
        await user.Client.RecordMoodAsync(new { score = 3 });
        shared.Set("2026-05-04T18:00:00Z");
        Assert.Equal([ReminderKinds.Meditation], await grain.RunDueAsync());

        shared.Set("2026-05-05T18:00:00Z"); // Tuesday: no check-in yet
        Assert.Equal([ReminderKinds.CheckIn, ReminderKinds.Meditation], await grain.RunDueAsync());

        // Wednesday is not chosen: the next ones are next Monday.
        shared.Set("2026-05-06T18:00:00Z");
        Assert.Empty(await grain.RunDueAsync());
        var next = await user.Client.GetOkAsync("/api/v1/notifications/reminders");
        Assert.Equal(DateTimeOffset.Parse("2026-05-11T18:00:00Z", CultureInfo.InvariantCulture), next.GetProperty("meditation").GetProperty("nextAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Reminders_follow_the_notification_preferences()
    {
        shared.Set("2026-06-01T06:00:00Z");
        var user = await Host.RegisterAndLoginAsync(timeZone: "Asia/Tokyo");
        var grain = Host.Grains.GetGrain<INotificationRemindersGrain>(user.UserId);
        await PutAsync(user, new { meditation = new { enabled = true, time = "18:30" } });
        Assert.Equal(HttpStatusCode.OK, (await user.Client.PutPreferencesAsync("""{"delivery":{"reminders":"none"}}""")).StatusCode);

        shared.Set("2026-06-01T09:30:00Z"); // 18:30 in Tokyo
        Assert.Equal([ReminderKinds.Meditation], await grain.RunDueAsync());
        Assert.DoesNotContain((await user.Client.ListAsync()).Select(n => n.GetProperty("kind").GetString()), k => k == ReminderKinds.Meditation);
    }

    [Theory]
    [InlineData("""{"checkIn":{"enabled":true,"time":"25:00"}}""", "checkIn.time")]
    [InlineData("""{"checkIn":{"enabled":true,"time":"8pm"}}""", "checkIn.time")]
    [InlineData("""{"meditation":{"enabled":true,"days":["someday"]}}""", "meditation.days")]
    [InlineData("""{"meditation":{"enabled":true,"days":[]}}""", "meditation.days")]
    public async Task Bad_settings_are_validation_problems_and_change_nothing(string body, string field)
    {
        var user = await Host.RegisterAndLoginAsync();
        await (await user.Client.PutAsync("/api/v1/notifications/reminders", HttpJson.Json(body))).AssertValidationProblemAsync(field);
        await (await user.Client.PutAsync("/api/v1/notifications/reminders", HttpJson.Json("""{"checkIn":{"enabled":"yes"}}"""))).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await user.Client.PutAsync("/api/v1/notifications/reminders", HttpJson.Json("""{"checkIn":"""))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.False((await user.Client.GetOkAsync("/api/v1/notifications/reminders")).GetProperty("checkIn").GetProperty("enabled").GetBoolean());
    }

    [Theory]
    [InlineData(ReminderKinds.CheckIn)]
    [InlineData(ReminderKinds.Meditation)]
    public void The_wording_invites_and_never_pressures(string kind)
    {
        var (title, body) = NotificationRemindersGrain.Wording(kind);
        var words = (title + " " + body).ToLowerInvariant();
        foreach (var bait in new[] { "streak", "miss you", "missed", "lose", "don't break", "haven't", "last chance", "!" })
        {
            Assert.DoesNotContain(bait, words, StringComparison.Ordinal);
        }
    }

    private static async Task<JsonElement> PutAsync(TestUser user, object body)
    {
        var response = await user.Client.PutAsJsonAsync("/api/v1/notifications/reminders", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement;
    }
}
