using System.Net;
using System.Net.Http.Json;
using System.Runtime.Versioning;
using Microsoft.Extensions.DependencyInjection;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Notifications;
using Mindspace.Grains.Notifications;
using Mindspace.Silo.Notifications;

namespace Mindspace.Gateway.Tests.Notifications;

/// <summary>
/// Web Push subscriptions and reminders on PostgreSQL, as in cluster mode: a cluster member sends Web Push
/// only with configured VAPID keys, keeps subscriptions in the inbox's state there and its reminder in
/// Orleans' reminder table there.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class NotificationsPushPostgresTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Push_subscriptions_and_reminders_work_on_postgres()
    {
        await using var push = await LocalPushService.StartAsync();
        var (publicKey, privateKey) = WebPushSettings.NewKeyPair();
        await using var host = await MindspaceTestHost.StartOnPostgresAsync(settings =>
        {
            settings["VAPID_PUBLIC_KEY"] = publicKey;
            settings["VAPID_PRIVATE_KEY"] = privateKey;
            settings["VAPID_SUBJECT"] = "mailto:ops@example.org";
        });
        var user = await host.RegisterAndLoginAsync(timeZone: "Europe/Berlin");
        var inbox = host.Grains.GetGrain<INotificationInboxGrain>(user.UserId);

        // Web Push: subscribe, a push category reaches the browser, unsubscribe.
        using var browser = push.NewBrowser();
        Assert.Equal(publicKey, (await user.Client.GetOkAsync("/api/v1/notifications/push/public-key")).GetProperty("publicKey").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.PostAsJsonAsync("/api/v1/notifications/push/subscriptions", browser.SubscriptionJson)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.Client.PutPreferencesAsync("""{"delivery":{"community":"push"}}""")).StatusCode);
        Assert.Equal([browser.Endpoint], (await inbox.GetPushSubscriptionsAsync()).Select(s => s.Endpoint));

        await host.NotifyAsync(user, "community.post-liked", title: "Someone liked your post");

        var received = await browser.NextAsync(Wait);
        browser.AssertVapid(received.Authorization, publicKey, DateTimeOffset.UtcNow);
        Assert.Equal("Someone liked your post", browser.Decrypt(received.Body).GetProperty("title").GetString());
        var unsubscribe = await user.Client.DeleteAsync($"/api/v1/notifications/push/subscriptions?endpoint={Uri.EscapeDataString(browser.Endpoint)}");
        Assert.Equal(HttpStatusCode.NoContent, unsubscribe.StatusCode);
        Assert.Empty(await inbox.GetPushSubscriptionsAsync());

        // Reminders: the settings in grain state and one Orleans reminder in PostgreSQL's reminder table.
        var reminders = host.Grains.GetGrain<INotificationRemindersGrain>(user.UserId);
        var table = host.Services.GetRequiredService<IReminderTable>();
        var saved = await user.Client.PutAsJsonAsync("/api/v1/notifications/reminders", new { checkIn = new { enabled = true, time = "20:00" } });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.True((await user.Client.GetOkAsync("/api/v1/notifications/reminders")).GetProperty("checkIn").GetProperty("enabled").GetBoolean());
        Assert.Contains((await table.ReadRows(reminders.GetGrainId())).Reminders, r => r.ReminderName == NotificationRemindersGrain.ReminderName);

        var off = await user.Client.PutAsJsonAsync("/api/v1/notifications/reminders", new { checkIn = new { enabled = false, time = "20:00" } });
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        Assert.DoesNotContain((await table.ReadRows(reminders.GetGrainId())).Reminders, r => r.ReminderName == NotificationRemindersGrain.ReminderName);
    }
}
