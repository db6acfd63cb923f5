using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Mindspace.Gateway.Tests.Analytics;
using Mindspace.Gateway.Tests.CheckIns;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Gateway.Tests.Notifications;
using Mindspace.Grains.Interfaces.Reports;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Reports;

/// <summary>
/// Weekly digests end to end on a manual clock: the schedule in local time across daylight saving,
/// what the reminder writes, the notification through the real SignalR client, paging, export and erasure.
/// </summary>
public sealed class WeeklyDigestApiTests(InsightsHost shared) : IClassFixture<InsightsHost>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private MindspaceTestHost Host => shared.Host;

    [Fact]
    public async Task The_default_is_Monday_eight_oclock_local_and_follows_daylight_saving()
    {
        shared.Set("2026-03-18T12:00:00Z");
        var user = await Host.RegisterAndLoginAsync(timeZone: "Europe/Berlin");

        var before = await user.Client.GetJsonAsync("/api/v1/reports/weekly/schedule");
        Assert.Equal("monday", before.GetProperty("dayOfWeek").GetString());
        Assert.Equal("08:00", before.GetProperty("time").GetString());
        Assert.Equal("Europe/Berlin", before.GetProperty("timeZone").GetString());
        Assert.Equal(DateTimeOffset.Parse("2026-03-23T07:00:00Z"), before.GetProperty("nextAt").GetDateTimeOffset());

        shared.Set("2026-03-25T12:00:00Z");
        var after = await user.Client.GetJsonAsync("/api/v1/reports/weekly/schedule");
        Assert.Equal(DateTimeOffset.Parse("2026-03-30T06:00:00Z"), after.GetProperty("nextAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_chosen_time_is_kept_and_bad_ones_are_validation_problems()
    {
        shared.Set("2026-10-20T12:00:00Z");
        var user = await Host.RegisterAndLoginAsync(timeZone: "America/New_York");

        var set = await user.Client.PutAsJsonAsync("/api/v1/reports/weekly/schedule", new { dayOfWeek = "Sunday", time = "19:30" });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var schedule = await set.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("sunday", schedule.GetProperty("dayOfWeek").GetString());
        Assert.Equal("19:30", schedule.GetProperty("time").GetString());
        Assert.Equal(DateTimeOffset.Parse("2026-10-25T23:30:00Z"), schedule.GetProperty("nextAt").GetDateTimeOffset()); // EDT, UTC-4

        await (await user.Client.PutAsJsonAsync("/api/v1/reports/weekly/schedule", new { dayOfWeek = "someday", time = "19:30" })).AssertValidationProblemAsync("dayOfWeek");
        await (await user.Client.PutAsJsonAsync("/api/v1/reports/weekly/schedule", new { dayOfWeek = "monday", time = "25:00" })).AssertValidationProblemAsync("time");
        await (await user.Client.PutAsync("/api/v1/reports/weekly/schedule", Json("{\"dayOfWeek\": 3"))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("19:30", (await user.Client.GetJsonAsync("/api/v1/reports/weekly/schedule")).GetProperty("time").GetString());

        // A move: the same local time, now in London, where the clocks go back that very Sunday.
        Assert.Equal(HttpStatusCode.OK, (await user.Client.PatchAsJsonAsync("/api/v1/me", new { timeZone = "Europe/London" })).StatusCode);
        var moved = await user.Client.GetJsonAsync("/api/v1/reports/weekly/schedule");
        Assert.Equal("Europe/London", moved.GetProperty("timeZone").GetString());
        Assert.Equal(DateTimeOffset.Parse("2026-10-25T19:30:00Z"), moved.GetProperty("nextAt").GetDateTimeOffset()); // GMT again
    }

    [Fact]
    public async Task The_reminder_writes_the_digest_at_the_local_time_and_the_user_is_told_on_the_hub()
    {
        // Monday 30 March 2026, 07:59:58 in Berlin (the first Monday of summer time).
        shared.Set("2026-03-30T05:59:58Z");
        var user = await Host.RegisterAndLoginAsync(timeZone: "Europe/Berlin");
        shared.Set("2026-03-24T08:00:00Z");
        await user.Client.RecordMoodAsync(new { score = 4, tags = new[] { "walk" } });
        shared.Set("2026-03-26T19:00:00Z");
        await user.Client.CreateEntryAsync(new { text = "Dinner with a friend.", mood = 5 });
        shared.Set("2026-03-30T05:59:58Z");

        // The schedule's reminder is due in two seconds of real time; the clock is then moved past 08:00.
        var set = await user.Client.PutAsJsonAsync("/api/v1/reports/weekly/schedule", new { dayOfWeek = "monday", time = "08:00" });
        Assert.Equal(DateTimeOffset.Parse("2026-03-30T06:00:00Z"), (await set.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("nextAt").GetDateTimeOffset());
        shared.ManualClock.Advance(TimeSpan.FromMinutes(1));
        await using var hub = await NotificationsHubClient.ConnectAsync(Host.BaseAddress, user.AccessToken, lastSequence: 1); // 1: the sign-in

        var notification = await hub.NextAsync(Wait);
        Assert.Equal(ReportNotificationKinds.WeeklyDigestReady, notification.GetProperty("kind").GetString());
        Assert.Equal("Your week in review is ready", notification.GetProperty("title").GetString());

        var latest = await user.Client.GetJsonAsync("/api/v1/reports/weekly/latest");
        Assert.Equal("2026-03-23", latest.GetProperty("weekStart").GetString());
        Assert.Equal("2026-03-29", latest.GetProperty("weekEnd").GetString());
        Assert.Equal(["weekStart", "weekEnd", "generatedAt", "title", "wentWell", "pattern", "suggestion", "gentleWeek", "support", "chart", "stats"], latest.EnumerateObject().Select(p => p.Name));
        Assert.Contains("You checked in on 2 days", latest.GetProperty("wentWell").GetString());
        Assert.Contains("Thursday was your brightest", latest.GetProperty("wentWell").GetString());
        Assert.StartsWith("<svg", latest.GetProperty("chart").GetProperty("svg").GetString());
        Assert.Contains("Tuesday: mood 4.0 of 5.", latest.GetProperty("chart").GetProperty("textAlternative").GetString());
        NoGuilt.Assert(latest.Deserialize<WeeklyDigest>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!);

        // The next one is set for next Monday 08:00 local.
        Assert.Equal(DateTimeOffset.Parse("2026-04-06T06:00:00Z"), (await user.Client.GetJsonAsync("/api/v1/reports/weekly/schedule")).GetProperty("nextAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Nothing_is_written_before_the_local_time_and_an_empty_week_gets_a_kind_digest_once()
    {
        shared.Set("2026-04-01T12:00:00Z");
        var user = await Host.RegisterAndLoginAsync(timeZone: "Asia/Kolkata");
        var digests = Host.Grains.GetGrain<IWeeklyDigestGrain>(user.UserId);
        var none = await (await user.Client.GetAsync("/api/v1/reports/weekly/latest")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("There is no weekly digest yet. The first one is written on Monday at 08:00.", none.GetProperty("detail").GetString());
        await Eventually.ReturnsAsync(() => ReminderRowsAsync(user.UserId), rows => rows == 1, "asking for a digest to schedule one, without a check-in (one-way)");

        shared.Set("2026-04-06T02:29:00Z"); // Monday 07:59 in Kolkata (UTC+5:30)
        Assert.Null(await digests.RunDueAsync());
        shared.Set("2026-04-06T02:30:00Z"); // 08:00
        var written = await digests.RunDueAsync();
        Assert.NotNull(written);
        Assert.Null(await digests.RunDueAsync()); // a second tick in the same week writes nothing more

        var latest = await user.Client.GetJsonAsync("/api/v1/reports/weekly/latest");
        Assert.Equal("2026-03-30", latest.GetProperty("weekStart").GetString());
        Assert.Contains("quiet week", latest.GetProperty("wentWell").GetString());
        Assert.Equal(0, latest.GetProperty("stats").GetProperty("daysCheckedIn").GetInt32());
    }

    [Fact]
    public async Task A_tick_a_moment_before_the_local_time_is_set_again_for_that_moment_not_for_next_week()
    {
        shared.Set("2026-07-06T07:00:00Z"); // a Monday
        var user = await Host.RegisterAndLoginAsync(timeZone: "UTC");
        var digests = Host.Grains.GetGrain<IWeeklyDigestGrain>(user.UserId);
        Assert.NotNull(await digests.RunDueAsync()); // 22–28 June; 29 June – 5 July is next, at 08:00

        // A tick 1 ms early, on a clock that moves 1 ms each time it is read: 08:00 comes during the tick.
        shared.Set("2026-07-06T07:59:59.999Z");
        shared.ManualClock.AdvancePerRead = TimeSpan.FromMilliseconds(1);
        try
        {
            Assert.Null(await digests.RunDueAsync());
        }
        finally
        {
            shared.ManualClock.AdvancePerRead = TimeSpan.Zero;
        }

        // Set again for 08:00 today, 1 ms away. Orleans would skip a reminder tick that is past before its
        // timer starts, so the grain timer beside it writes the digest a moment later.
        var latest = await Eventually.ReturnsAsync(() => digests.GetLatestAsync(), d => d?.WeekStart == new DateOnly(2026, 6, 29), "the reminder's tick at 08:00 writing last week's digest");
        Assert.Equal(new DateOnly(2026, 7, 5), latest!.WeekEnd);
    }

    [Fact]
    public async Task Digests_page_newest_first_with_before()
    {
        shared.Set("2026-05-01T12:00:00Z");
        var user = await Host.RegisterAndLoginAsync(timeZone: "UTC");
        var digests = Host.Grains.GetGrain<IWeeklyDigestGrain>(user.UserId);
        foreach (var monday in new[] { "2026-05-04", "2026-05-11", "2026-05-18" })
        {
            shared.Set($"{monday}T09:00:00Z");
            Assert.NotNull(await digests.RunDueAsync());
        }

        var first = await user.Client.GetJsonAsync("/api/v1/reports/weekly?limit=2");
        Assert.Equal(["2026-05-11", "2026-05-04"], first.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("weekStart").GetString()));
        Assert.Equal("2026-05-04", first.GetProperty("nextBefore").GetString());
        var second = await user.Client.GetJsonAsync("/api/v1/reports/weekly?limit=2&before=2026-05-04");
        Assert.Equal(["2026-04-27"], second.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("weekStart").GetString()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextBefore").ValueKind);

        await (await user.Client.GetAsync("/api/v1/reports/weekly?before=soon")).AssertValidationProblemAsync("before");
        await (await user.Client.GetAsync("/api/v1/reports/weekly?limit=0")).AssertValidationProblemAsync("limit");
    }

    [Fact]
    public async Task Export_holds_analytics_and_digests_and_deleting_the_account_erases_them_and_the_reminder()
    {
        shared.Set("2026-06-01T07:00:00Z");
        var user = await Host.RegisterAndLoginAsync(timeZone: "Europe/Paris");
        await user.Client.RecordMoodAsync(new { score = 3 });
        var digests = Host.Grains.GetGrain<IWeeklyDigestGrain>(user.UserId);

        // The check-in schedules the digest one-way; moving the clock before that lands would make it count this week as passed.
        await Eventually.ReturnsAsync(() => ReminderRowsAsync(user.UserId), rows => rows == 1, "the check-in scheduling a digest (one-way)");
        shared.Set("2026-06-08T07:00:00Z"); // Monday 09:00 in Paris
        Assert.NotNull(await digests.RunDueAsync());
        Assert.Equal(1, await ReminderRowsAsync(user.UserId));

        var export = await user.Client.GetJsonAsync("/api/v1/me/export");
        Assert.Equal(1, export.GetProperty("analytics").GetProperty("thisYear").GetProperty("mood").GetProperty("count").GetInt32());
        Assert.Equal(365, export.GetProperty("analytics").GetProperty("yearInPixels").GetProperty("days").GetArrayLength());
        Assert.Equal("2026-06-01", export.GetProperty("reports").GetProperty("weeklyDigests")[0].GetProperty("weekStart").GetString());
        Assert.Equal("monday", export.GetProperty("reports").GetProperty("schedule").GetProperty("dayOfWeek").GetString());

        var deleted = await user.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { password = user.Password }) });
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        Assert.Null(await digests.GetLatestAsync());
        Assert.Equal(0, await ReminderRowsAsync(user.UserId));
    }

    /// <summary>Rows of this user's digest reminder in the embedded reminder table, read beside the running gateway.</summary>
    private async Task<long> ReminderRowsAsync(Guid userId)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(Host.DataDirectory, "mindspace.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM ms_orleans_reminders WHERE reminder_name = 'weekly-digest' AND (grain_id LIKE $n OR grain_id LIKE $d)";
        command.Parameters.AddWithValue("$n", $"%{userId:N}%");
        command.Parameters.AddWithValue("$d", $"%{userId:D}%");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
