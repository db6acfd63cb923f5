using System.Globalization;
using System.Net;
using Mindspace.Gateway.Tests.Auth;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Notifications;
using Mindspace.Testing;
using NodaTime;

namespace Mindspace.Gateway.Tests.Notifications;

/// <summary>A host on a clock the test moves, to see quiet hours begin and end.</summary>
public sealed class QuietHoursHost : SharedHost
{
    public override ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);
}

public sealed class NotificationsQuietHoursTests(QuietHoursHost shared) : IClassFixture<QuietHoursHost>
{
    private const string Zone = "Asia/Kolkata"; // UTC+05:30, no daylight saving: local time differs from UTC
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private MindspaceTestHost Host => shared.Host;

    private ManualClock Clock => shared.Clock;

    [Fact]
    public async Task During_quiet_hours_notifications_wait_and_arrive_after_except_safety_and_account()
    {
        var user = await Host.RegisterAndLoginAsync(timeZone: Zone); // 1: the sign-in
        var local = LocalNow();

        // Quiet from the start of this local minute for two minutes (under the hub's observer expiry, so live pushes keep flowing).
        var start = local.ToString("HH:mm", CultureInfo.InvariantCulture);
        var end = local.PlusMinutes(2).ToString("HH:mm", CultureInfo.InvariantCulture);
        var put = await user.Client.PutPreferencesAsync("{\"quietHours\":{\"start\":\"" + start + "\",\"end\":\"" + end + "\"}}");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        await using var client = await NotificationsHubClient.ConnectAsync(Host.BaseAddress, user.AccessToken);
        var held = await Host.NotifyAsync(user, "reminders.check-in", "A check-in, when you are ready", at: Clock.GetUtcNow());
        Assert.Equal(NotifyStatus.Held, held.Status);
        Assert.True(held.HeldUntil > Clock.GetUtcNow());
        Assert.Equal(NotifyStatus.Delivered, (await Host.NotifyAsync(user, "safety.resources", "Support is here", at: Clock.GetUtcNow())).Status); // 2
        Assert.Equal(NotifyStatus.Delivered, (await Host.NotifyAsync(user, NotificationKinds.SecuritySignIn, "New sign-in", at: Clock.GetUtcNow())).Status); // 3

        // Only the ones that always go through arrive, in order; the held one is not listed yet.
        var safety = await client.NextAsync(Wait);
        Assert.Equal("Support is here", safety.GetProperty("title").GetString());
        Assert.Equal(3, await client.NextSequenceAsync(Wait));
        Assert.Equal(["New sign-in", "Support is here", "New sign-in"], (await user.Client.ListAsync()).Titles());

        // Quiet hours end: the next look at the inbox (or the reminder) delivers what waited, live too.
        Clock.Set(held.HeldUntil!.Value.AddSeconds(1));
        Assert.Equal("A check-in, when you are ready", (await user.Client.ListAsync())[0].GetProperty("title").GetString());
        var released = await client.NextAsync(Wait);
        Assert.Equal(4, released.GetProperty("sequence").GetInt64());
        Assert.Equal("A check-in, when you are ready", released.GetProperty("title").GetString());
        Assert.Equal(0, await Host.Grains.GetGrain<INotificationInboxGrain>(user.UserId).ReleaseHeldAsync());
    }

    [Fact]
    public async Task Clearing_quiet_hours_delivers_what_waited_and_a_category_turned_off_meanwhile_is_dropped()
    {
        var user = await Host.RegisterAndLoginAsync(timeZone: Zone);
        var local = LocalNow();
        var quiet = "{\"start\":\"" + local.ToString("HH:mm", CultureInfo.InvariantCulture) + "\",\"end\":\"" + local.PlusMinutes(2).ToString("HH:mm", CultureInfo.InvariantCulture) + "\"}";
        Assert.Equal(HttpStatusCode.OK, (await user.Client.PutPreferencesAsync("{\"quietHours\":" + quiet + "}")).StatusCode);
        Assert.Equal(NotifyStatus.Held, (await Host.NotifyAsync(user, "focus.session-done", "Focus done", at: Clock.GetUtcNow())).Status);
        Assert.Equal(NotifyStatus.Held, (await Host.NotifyAsync(user, "orders.shipped", "On its way", at: Clock.GetUtcNow())).Status);

        var export = await Host.Grains.GetGrain<INotificationInboxGrain>(user.UserId).ExportAsync();
        Assert.Equal(2, export.Held.Count);

        Assert.Equal(HttpStatusCode.OK, (await user.Client.PutPreferencesAsync("{\"delivery\":{\"orders\":\"none\"},\"quietHours\":" + quiet + "}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.Client.PutPreferencesAsync("""{"delivery":{"orders":"none"}}""")).StatusCode);

        Assert.Equal(["Focus done", "New sign-in"], (await user.Client.ListAsync()).Titles());
        Assert.Empty((await Host.Grains.GetGrain<INotificationInboxGrain>(user.UserId).ExportAsync()).Held);
    }

    [Fact]
    public async Task Quiet_hours_follow_the_profile_time_zone_once_preferences_are_read_again()
    {
        var user = await Host.RegisterAndLoginAsync(timeZone: "UTC");
        var local = LocalNow(); // in Asia/Kolkata, five and a half hours away from UTC
        var quiet = "{\"start\":\"" + local.ToString("HH:mm", CultureInfo.InvariantCulture) + "\",\"end\":\"" + local.PlusMinutes(2).ToString("HH:mm", CultureInfo.InvariantCulture) + "\"}";
        Assert.Equal(HttpStatusCode.OK, (await user.Client.PutPreferencesAsync("{\"quietHours\":" + quiet + "}")).StatusCode);
        Assert.Equal(NotifyStatus.Delivered, (await Host.NotifyAsync(user, "community.reply", "Not quiet in UTC", at: Clock.GetUtcNow())).Status);

        var patch = await user.Client.PatchAsync("/api/v1/me", System.Net.Http.Json.JsonContent.Create(new { timeZone = Zone }));
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        var preferences = await user.Client.GetOkAsync("/api/v1/notifications/preferences");
        Assert.Equal(Zone, preferences.GetProperty("timeZone").GetString());

        Assert.Equal(NotifyStatus.Held, (await Host.NotifyAsync(user, "community.reply", "Quiet in Kolkata", at: Clock.GetUtcNow())).Status);
    }

    private LocalDateTime LocalNow()
        => Instant.FromDateTimeOffset(Clock.GetUtcNow()).InZone(DateTimeZoneProviders.Tzdb[Zone]).LocalDateTime;
}

public sealed class NotificationsRestartTests
{
    [Fact]
    public async Task Preferences_and_held_notifications_survive_a_restart()
    {
        var host = await MindspaceTestHost.StartAsync();
        try
        {
            var user = await host.RegisterAndLoginAsync(timeZone: "UTC");
            var now = DateTimeOffset.UtcNow;
            var start = now.ToString("HH:mm", CultureInfo.InvariantCulture);
            var end = now.AddMinutes(30).ToString("HH:mm", CultureInfo.InvariantCulture);
            var put = await user.Client.PutPreferencesAsync("{\"delivery\":{\"orders\":\"push\",\"focus\":\"none\"},\"quietHours\":{\"start\":\"" + start + "\",\"end\":\"" + end + "\"}}");
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            Assert.Equal(NotifyStatus.Held, (await host.NotifyAsync(user, "orders.shipped", "On its way")).Status);
            var before = (await user.Client.GetOkAsync("/api/v1/notifications/preferences")).GetRawText();

            host = await host.RestartAsync();
            using var client = host.CreateClient(user.AccessToken);

            Assert.Equal(before, (await client.GetOkAsync("/api/v1/notifications/preferences")).GetRawText());
            var export = await host.Grains.GetGrain<INotificationInboxGrain>(user.UserId).ExportAsync();
            Assert.Equal("On its way", Assert.Single(export.Held).Notification.Title);
            Assert.Equal(NotificationDeliveryModes.None, export.Preferences.Delivery[NotificationCategories.Focus]);
            Assert.Equal(["New sign-in"], (await client.ListAsync()).Titles());
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
