using System.Net;
using System.Net.Http.Json;
using System.Runtime.Versioning;
using Microsoft.AspNetCore.Http;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Notifications;
using Mindspace.Grains.Notifications;
using Mindspace.Silo.Notifications;
using Mindspace.Testing;
using Orleans.Core.Internal;

namespace Mindspace.Gateway.Tests.Notifications;

/// <summary>
/// Web Push retries are kept in the inbox's state: a push service that fails first and then accepts
/// gets the notification exactly once, even when the whole host restarts between the attempts, on
/// SQLite and on PostgreSQL. The clock stands still unless the test moves it, so no retry happens by
/// itself before the restart.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class NotificationsWebPushRetryTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public Task A_failed_push_is_sent_again_after_a_restart_exactly_once()
        => RetriedAcrossRestartAsync(clock => MindspaceTestHost.StartAsync(clock: clock));

    [Fact]
    public Task A_failed_push_is_sent_again_after_a_restart_exactly_once_on_postgres()
        => RetriedAcrossRestartAsync(clock =>
        {
            var (publicKey, privateKey) = WebPushSettings.NewKeyPair();
            return MindspaceTestHost.StartOnPostgresAsync(
                settings =>
                {
                    settings["VAPID_PUBLIC_KEY"] = publicKey;
                    settings["VAPID_PRIVATE_KEY"] = privateKey;
                    settings["VAPID_SUBJECT"] = "mailto:ops@example.org";
                },
                clock);
        });

    [Fact]
    public async Task A_push_that_keeps_failing_is_tried_four_times_then_given_up()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var push = await LocalPushService.StartAsync();
        await using var host = await MindspaceTestHost.StartAsync(clock: clock);
        var user = await host.RegisterAndLoginAsync();
        using var browser = push.NewBrowser();
        browser.Answer = StatusCodes.Status503ServiceUnavailable;
        await SubscribeToCommunityPushAsync(user, browser);
        var inbox = host.Grains.GetGrain<INotificationInboxGrain>(user.UserId);

        var id = await NotifyAsync(host, user, clock);
        for (var attempt = 1; attempt <= WebPushRetries.MaxAttempts; attempt++)
        {
            Assert.Equal(id, browser.Decrypt((await browser.NextAsync(Wait)).Body).GetProperty("id").GetGuid());
            if (attempt < WebPushRetries.MaxAttempts)
            {
                var backoff = WebPushRetries.Backoff[attempt - 1];
                await Eventually.ReturnsAsync(inbox.GetPendingPushesAsync, p => p.Count == 1 && p[0].Attempts == attempt && p[0].DueAt == clock.GetUtcNow() + backoff, $"attempt {attempt} failed and waits {backoff}");

                // Not before its back-off has passed.
                clock.Advance(backoff - TimeSpan.FromMilliseconds(1));
                await user.Client.UnreadAsync();
                Assert.Equal(attempt, (await inbox.GetPendingPushesAsync()).Single().Attempts);
                clock.Advance(TimeSpan.FromMilliseconds(1));
                await user.Client.UnreadAsync();
            }
        }

        await Eventually.ReturnsAsync(inbox.GetPendingPushesAsync, p => p.Count == 0, "given up after the last attempt");
        clock.Advance(TimeSpan.FromMinutes(5));
        await user.Client.UnreadAsync();
        Assert.False(browser.Received.Reader.TryRead(out _));
        Assert.Single(await inbox.GetPushSubscriptionsAsync()); // failing is not gone: the browser stays subscribed
        Assert.Equal("Someone liked your post", (await user.Client.ListAsync())[0].GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_pending_push_survives_the_inbox_deactivating_and_is_dropped_with_its_subscription()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var push = await LocalPushService.StartAsync();
        await using var host = await MindspaceTestHost.StartAsync(clock: clock);
        var user = await host.RegisterAndLoginAsync();
        using var browser = push.NewBrowser();
        using var other = push.NewBrowser();
        browser.Answer = StatusCodes.Status503ServiceUnavailable;
        other.Answer = StatusCodes.Status503ServiceUnavailable;
        await SubscribeToCommunityPushAsync(user, browser);
        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.PostAsJsonAsync("/api/v1/notifications/push/subscriptions", other.SubscriptionJson)).StatusCode);
        var inbox = host.Grains.GetGrain<INotificationInboxGrain>(user.UserId);

        var id = await NotifyAsync(host, user, clock);
        await browser.NextAsync(Wait);
        await other.NextAsync(Wait);
        await Eventually.ReturnsAsync(inbox.GetPendingPushesAsync, p => p.Count == 2 && p.All(d => d.DueAt == clock.GetUtcNow() + WebPushRetries.Backoff[0]), "both attempts failed");

        await inbox.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        Assert.Equal(2, (await inbox.GetPendingPushesAsync()).Count);

        // The other browser is unsubscribed meanwhile: its delivery goes with it.
        var unsubscribe = await user.Client.DeleteAsync("/api/v1/notifications/push/subscriptions?endpoint=" + Uri.EscapeDataString(other.Endpoint));
        Assert.Equal(HttpStatusCode.NoContent, unsubscribe.StatusCode);
        Assert.Equal([browser.Endpoint], (await inbox.GetPendingPushesAsync()).Select(p => p.Endpoint));

        browser.Answer = StatusCodes.Status201Created;
        clock.Advance(WebPushRetries.Backoff[0]);
        await user.Client.UnreadAsync();
        Assert.Equal(id, browser.Decrypt((await browser.NextAsync(Wait)).Body).GetProperty("id").GetGuid());
        await Eventually.ReturnsAsync(inbox.GetPendingPushesAsync, p => p.Count == 0, "delivered");
        Assert.False(browser.Received.Reader.TryRead(out _));
        Assert.False(other.Received.Reader.TryRead(out _));
    }

    private static async Task RetriedAcrossRestartAsync(Func<ManualClock, Task<MindspaceTestHost>> start)
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var push = await LocalPushService.StartAsync();
        var host = await start(clock);
        try
        {
            var user = await host.RegisterAndLoginAsync();
            using var browser = push.NewBrowser();
            browser.Answer = StatusCodes.Status503ServiceUnavailable;
            await SubscribeToCommunityPushAsync(user, browser);

            var id = await NotifyAsync(host, user, clock);
            var failed = await browser.NextAsync(Wait);
            Assert.Equal(id, browser.Decrypt(failed.Body).GetProperty("id").GetGuid());

            // The failure is recorded in the inbox's state: the delivery waits its first back-off.
            var inbox = host.Grains.GetGrain<INotificationInboxGrain>(user.UserId);
            var pending = await Eventually.ReturnsAsync(
                inbox.GetPendingPushesAsync, p => p.Count == 1 && p[0].DueAt == clock.GetUtcNow() + WebPushRetries.Backoff[0], "the failed attempt recorded");
            Assert.Equal((browser.Endpoint, 1), (pending[0].Endpoint, pending[0].Attempts));

            host = await host.RestartAsync();
            browser.Answer = StatusCodes.Status201Created;
            clock.Advance(WebPushRetries.Backoff[0]);

            // Activating the inbox is enough to carry on (a read that sends nothing itself).
            inbox = host.Grains.GetGrain<INotificationInboxGrain>(user.UserId);
            Assert.Equal(pending[0].DeliveryId, (await inbox.GetPendingPushesAsync()).Single().DeliveryId);
            var accepted = await browser.NextAsync(Wait);
            var payload = browser.Decrypt(accepted.Body);
            Assert.Equal(id, payload.GetProperty("id").GetGuid());
            Assert.Equal("Someone liked your post", payload.GetProperty("title").GetString());
            Assert.Equal(failed.Topic, accepted.Topic);

            // Delivered: nothing is pending, and nothing else arrives however long one waits.
            await Eventually.ReturnsAsync(inbox.GetPendingPushesAsync, p => p.Count == 0, "the delivery finished");
            clock.Advance(TimeSpan.FromMinutes(5));
            await inbox.GetUnreadCountAsync();
            Assert.False(browser.Received.Reader.TryRead(out _));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    private static async Task SubscribeToCommunityPushAsync(TestUser user, PushBrowser browser)
    {
        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.PostAsJsonAsync("/api/v1/notifications/push/subscriptions", browser.SubscriptionJson)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.Client.PutPreferencesAsync("""{"delivery":{"community":"push"}}""")).StatusCode);
    }

    private static async Task<Guid> NotifyAsync(MindspaceTestHost host, TestUser user, ManualClock clock)
    {
        var outcome = await host.NotifyAsync(user, "community.post-liked", title: "Someone liked your post", at: clock.GetUtcNow());
        Assert.Equal(NotifyStatus.Delivered, outcome.Status);
        return outcome.Stored!.Notification.Id;
    }
}
