using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.Versioning;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Notifications;
using Mindspace.Silo;
using Mindspace.Silo.Notifications;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Notifications;

/// <summary>One embedded gateway (with generated VAPID keys) and a local push service that decrypts what it receives.</summary>
public sealed class WebPushFixture : IAsyncLifetime
{
    public MindspaceTestHost Host { get; private set; } = null!;

    public LocalPushService Push { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Push = await LocalPushService.StartAsync();
        Host = await MindspaceTestHost.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Push.DisposeAsync();
    }
}

/// <summary>
/// Web Push end to end: a browser subscribes over HTTP, a notification in a category set to push is
/// encrypted for that browser and signed with VAPID, gone subscriptions are dropped, and nobody
/// receives anybody else's.
/// </summary>
public sealed class NotificationsWebPushTests(WebPushFixture shared) : IClassFixture<WebPushFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private MindspaceTestHost Host => shared.Host;

    [Fact]
    public async Task A_push_category_reaches_the_browser_encrypted_for_it_and_signed_with_vapid()
    {
        var user = await Host.RegisterAndLoginAsync();
        using var browser = shared.Push.NewBrowser();
        var publicKey = (await user.Client.GetOkAsync("/api/v1/notifications/push/public-key")).GetProperty("publicKey").GetString()!;
        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.PostAsJsonAsync("/api/v1/notifications/push/subscriptions", browser.SubscriptionJson)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.Client.PutPreferencesAsync("""{"delivery":{"community":"push"}}""")).StatusCode);

        await Host.NotifyAsync(user, "community.post-liked", title: "Someone liked your post", batchKey: "post-liked:1");

        var push = await browser.NextAsync(Wait);
        Assert.Equal("aes128gcm", push.ContentEncoding);
        Assert.NotEmpty(push.Ttl);
        Assert.NotEmpty(push.Topic);
        browser.AssertVapid(push.Authorization, publicKey, DateTimeOffset.UtcNow);
        var payload = browser.Decrypt(push.Body);
        Assert.Equal("Someone liked your post", payload.GetProperty("title").GetString());
        Assert.Equal("A gentle sentence about it.", payload.GetProperty("body").GetString());
        Assert.Equal("/notifications", payload.GetProperty("url").GetString());
        Assert.Equal("community", payload.GetProperty("category").GetString());
        Assert.Equal(1, payload.GetProperty("count").GetInt32());

        // The same notification is in the inbox, as with in-app delivery.
        Assert.Contains("Someone liked your post", (await user.Client.ListAsync()).Titles());
    }

    [Fact]
    public async Task A_subscription_the_push_service_says_is_gone_is_dropped()
    {
        var user = await Host.RegisterAndLoginAsync();
        using var gone = shared.Push.NewBrowser();
        using var kept = shared.Push.NewBrowser();
        gone.Answer = StatusCodes.Status410Gone;
        await SubscribeAsync(user, gone);
        await SubscribeAsync(user, kept);
        Assert.Equal(HttpStatusCode.OK, (await user.Client.PutPreferencesAsync("""{"delivery":{"focus":"push"}}""")).StatusCode);
        var inbox = Host.Grains.GetGrain<INotificationInboxGrain>(user.UserId);
        Assert.Equal([gone.Endpoint, kept.Endpoint], (await inbox.GetPushSubscriptionsAsync()).Select(s => s.Endpoint));

        await Host.NotifyAsync(user, "focus.session-ended", title: "Your focus session ended");

        await gone.NextAsync(Wait);
        await kept.NextAsync(Wait);
        await Eventually.ReturnsAsync(inbox.GetPushSubscriptionsAsync, s => s.Count == 1, "the gone subscription removed");
        Assert.Equal([kept.Endpoint], (await inbox.GetPushSubscriptionsAsync()).Select(s => s.Endpoint));
    }

    [Fact]
    public async Task In_app_and_none_categories_are_not_pushed()
    {
        var user = await Host.RegisterAndLoginAsync();
        using var browser = shared.Push.NewBrowser();
        await SubscribeAsync(user, browser);
        Assert.Equal(HttpStatusCode.OK, (await user.Client.PutPreferencesAsync("""{"delivery":{"community":"push","focus":"inApp","digest":"none"}}""")).StatusCode);

        await Host.NotifyAsync(user, "focus.session-ended", title: "In the app only");
        await Host.NotifyAsync(user, "reports.weekly-ready", title: "Not at all");
        await Host.NotifyAsync(user, "community.post-liked", title: "Pushed one");
        await Host.NotifyAsync(user, "community.comment", title: "Pushed two");

        // Sent concurrently, so in either order.
        string[] pushed = [
            browser.Decrypt((await browser.NextAsync(Wait)).Body).GetProperty("title").GetString()!,
            browser.Decrypt((await browser.NextAsync(Wait)).Body).GetProperty("title").GetString()!];
        Assert.Equal(["Pushed one", "Pushed two"], pushed.Order(StringComparer.Ordinal));
        Assert.False(browser.Received.Reader.TryRead(out _));
        Assert.Equal(["Pushed two", "Pushed one", "In the app only"], (await user.Client.ListAsync()).Titles().Take(3));
    }

    [Fact]
    public async Task Quiet_hours_hold_the_push_with_the_notification_and_it_goes_when_they_end()
    {
        var user = await Host.RegisterAndLoginAsync(timeZone: "UTC");
        using var browser = shared.Push.NewBrowser();
        await SubscribeAsync(user, browser);
        var now = DateTimeOffset.UtcNow;
        var quiet = JsonSerializer.Serialize(new
        {
            delivery = new { community = "push" },
            quietHours = new { start = now.AddHours(-1).ToString("HH:mm", CultureInfo.InvariantCulture), end = now.AddHours(2).ToString("HH:mm", CultureInfo.InvariantCulture) },
        });
        Assert.Equal(HttpStatusCode.OK, (await user.Client.PutPreferencesAsync(quiet)).StatusCode);

        Assert.Equal(NotifyStatus.Held, (await Host.NotifyAsync(user, "community.post-liked", title: "Held for later")).Status);
        await Host.NotifyAsync(user, "security.sign-in", title: "Account notices are never held"); // in-app: not pushed
        Assert.False(browser.Received.Reader.TryRead(out _));

        // Clearing quiet hours ends them: the held notification is stored and pushed now.
        Assert.Equal(HttpStatusCode.OK, (await user.Client.PutPreferencesAsync("""{"delivery":{"community":"push"}}""")).StatusCode);
        Assert.Equal("Held for later", browser.Decrypt((await browser.NextAsync(Wait)).Body).GetProperty("title").GetString());
    }

    [Fact]
    public async Task Two_users_never_receive_each_others_pushes()
    {
        var ana = await Host.RegisterAndLoginAsync();
        var ben = await Host.RegisterAndLoginAsync();
        using var anasBrowser = shared.Push.NewBrowser();
        using var bensBrowser = shared.Push.NewBrowser();
        foreach (var (user, browser) in new[] { (ana, anasBrowser), (ben, bensBrowser) })
        {
            await SubscribeAsync(user, browser);
            Assert.Equal(HttpStatusCode.OK, (await user.Client.PutPreferencesAsync("""{"delivery":{"community":"push"}}""")).StatusCode);
        }

        await Host.NotifyAsync(ana, "community.post-liked", title: "For Ana");
        Assert.Equal("For Ana", anasBrowser.Decrypt((await anasBrowser.NextAsync(Wait)).Body).GetProperty("title").GetString());
        await Host.NotifyAsync(ben, "community.post-liked", title: "For Ben");
        Assert.Equal("For Ben", bensBrowser.Decrypt((await bensBrowser.NextAsync(Wait)).Body).GetProperty("title").GetString());
        await Host.NotifyAsync(ana, "community.post-liked", title: "For Ana again");
        Assert.Equal("For Ana again", anasBrowser.Decrypt((await anasBrowser.NextAsync(Wait)).Body).GetProperty("title").GetString());

        Assert.False(anasBrowser.Received.Reader.TryRead(out _));
        Assert.False(bensBrowser.Received.Reader.TryRead(out _));

        // Removing someone else's endpoint is not found, and removes nothing.
        await (await ben.Client.DeleteAsync("/api/v1/notifications/push/subscriptions?endpoint=" + Uri.EscapeDataString(anasBrowser.Endpoint))).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Single(await Host.Grains.GetGrain<INotificationInboxGrain>(ana.UserId).GetPushSubscriptionsAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await ana.Client.DeleteAsync("/api/v1/notifications/push/subscriptions?endpoint=" + Uri.EscapeDataString(anasBrowser.Endpoint))).StatusCode);
        Assert.Empty(await Host.Grains.GetGrain<INotificationInboxGrain>(ana.UserId).GetPushSubscriptionsAsync());
    }

    [Theory]
    [InlineData("""{"keys":{"p256dh":"BAAA","auth":"AAAAAAAAAAAAAAAAAAAAAA"}}""", "endpoint")]
    [InlineData("""{"endpoint":"ftp://push.example/x","keys":{"p256dh":"@P256@","auth":"AAAAAAAAAAAAAAAAAAAAAA"}}""", "endpoint")]
    [InlineData("""{"endpoint":"http://push.example/x","keys":{"p256dh":"@P256@","auth":"AAAAAAAAAAAAAAAAAAAAAA"}}""", "endpoint")]
    [InlineData("""{"endpoint":"https://push.example/x","keys":{"p256dh":"AAAA","auth":"AAAAAAAAAAAAAAAAAAAAAA"}}""", "keys.p256dh")]
    [InlineData("""{"endpoint":"https://push.example/x","keys":{"p256dh":"@P256@","auth":"AAAA"}}""", "keys.auth")]
    [InlineData("""{"endpoint":"https://push.example/x","keys":{"p256dh":"@P256@","auth":"not base64url!!!!!!!!!"}}""", "keys.auth")]
    [InlineData("""{"endpoint":"https://push.example/x"}""", "keys.p256dh")]
    public async Task Bad_subscriptions_are_validation_problems_and_store_nothing(string body, string field)
    {
        var user = await Host.RegisterAndLoginAsync();
        using var browser = shared.Push.NewBrowser();
        var p256 = JsonSerializer.SerializeToElement(browser.SubscriptionJson).GetProperty("keys").GetProperty("p256dh").GetString()!;
        await (await user.Client.PostAsync("/api/v1/notifications/push/subscriptions", HttpJson.Json(body.Replace("@P256@", p256, StringComparison.Ordinal)))).AssertValidationProblemAsync(field);
        Assert.Empty(await Host.Grains.GetGrain<INotificationInboxGrain>(user.UserId).GetPushSubscriptionsAsync());
    }

    [Fact]
    public async Task Malformed_bodies_and_missing_endpoints_are_problems()
    {
        var user = await Host.RegisterAndLoginAsync();
        await (await user.Client.PostAsync("/api/v1/notifications/push/subscriptions", HttpJson.Json("""{"endpoint":"""))).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await user.Client.PostAsync("/api/v1/notifications/push/subscriptions", HttpJson.Json("""{"endpoint":5,"keys":[]}"""))).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await user.Client.DeleteAsync("/api/v1/notifications/push/subscriptions")).AssertValidationProblemAsync("endpoint");
        await (await user.Client.DeleteAsync("/api/v1/notifications/push/subscriptions?endpoint=https%3A%2F%2Fpush.example%2Fnever")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Host.Client.GetAsync("/api/v1/notifications/push/public-key")).StatusCode);
    }

    [Fact]
    public async Task The_oldest_of_too_many_browsers_makes_room_and_the_export_lists_endpoints_without_keys()
    {
        var user = await Host.RegisterAndLoginAsync();
        var browsers = Enumerable.Range(0, WebPushRules.MaxSubscriptionsPerUser + 1).Select(_ => shared.Push.NewBrowser()).ToList();
        foreach (var browser in browsers)
        {
            await SubscribeAsync(user, browser);
        }

        var endpoints = (await Host.Grains.GetGrain<INotificationInboxGrain>(user.UserId).GetPushSubscriptionsAsync()).Select(s => s.Endpoint).ToList();
        Assert.Equal(browsers.Skip(1).Select(b => b.Endpoint), endpoints);

        var export = (await user.Client.GetOkAsync("/api/v1/me/export")).GetProperty("notifications").GetProperty("pushSubscriptions");
        Assert.Equal(WebPushRules.MaxSubscriptionsPerUser, export.GetArrayLength());
        Assert.Equal(["endpoint", "createdAt"], export[0].EnumerateObject().Select(p => p.Name));
        browsers.ForEach(b => b.Dispose());
    }

    private static async Task SubscribeAsync(TestUser user, PushBrowser browser)
        => Assert.Equal(HttpStatusCode.NoContent, (await user.Client.PostAsJsonAsync("/api/v1/notifications/push/subscriptions", browser.SubscriptionJson)).StatusCode);
}

/// <summary>Where VAPID keys come from, without a host.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class WebPushSettingsTests
{
    [Fact]
    public void Embedded_mode_generates_one_owner_only_key_pair_and_keeps_it()
    {
        using var data = new TempDirectory();
        var configuration = Configuration(new() { ["DATA_DIR"] = data.Path });
        var first = WebPushSettings.Load(configuration, SiloSettings.From(configuration));
        var second = WebPushSettings.Load(configuration, SiloSettings.From(configuration));

        Assert.True(first.Enabled);
        Assert.Equal(first.Keys, second.Keys);
        Assert.Equal(65, WebPushRules.DecodedLength(first.Keys!.PublicKey));
        var file = Path.Combine(data.Path, WebPushSettings.DevKeyFileName);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.DoesNotContain(first.Keys.PrivateKey, first.Keys.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Production_without_keys_turns_push_off_and_configured_keys_must_be_a_pair_with_a_subject()
    {
        using var data = new TempDirectory();
        var production = Configuration(new() { ["DATA_DIR"] = data.Path, ["ASPNETCORE_ENVIRONMENT"] = "Production" });
        var off = WebPushSettings.Load(production, SiloSettings.From(production));
        Assert.False(off.Enabled);
        Assert.Contains("VAPID_PUBLIC_KEY", off.DisabledReason, StringComparison.Ordinal);
        Assert.False(off.AllowLoopbackHttp);
        Assert.False(File.Exists(Path.Combine(data.Path, WebPushSettings.DevKeyFileName)));

        var (publicKey, privateKey) = WebPushSettings.NewKeyPair();
        var (otherPublic, _) = WebPushSettings.NewKeyPair();
        var configured = Configuration(new() { ["DATA_DIR"] = data.Path, ["ASPNETCORE_ENVIRONMENT"] = "Production", ["VAPID_PUBLIC_KEY"] = publicKey, ["VAPID_PRIVATE_KEY"] = privateKey, ["VAPID_SUBJECT"] = "mailto:ops@example.org" });
        Assert.Equal(publicKey, WebPushSettings.Load(configured, SiloSettings.From(configured)).Keys!.PublicKey);

        foreach (var bad in new Dictionary<string, string?>[]
        {
            new() { ["VAPID_PUBLIC_KEY"] = publicKey },
            new() { ["VAPID_PUBLIC_KEY"] = publicKey, ["VAPID_PRIVATE_KEY"] = privateKey },
            new() { ["VAPID_PUBLIC_KEY"] = otherPublic, ["VAPID_PRIVATE_KEY"] = privateKey, ["VAPID_SUBJECT"] = "mailto:ops@example.org" },
            new() { ["VAPID_PUBLIC_KEY"] = "short", ["VAPID_PRIVATE_KEY"] = privateKey, ["VAPID_SUBJECT"] = "mailto:ops@example.org" },
        })
        {
            bad["DATA_DIR"] = data.Path;
            var configuration = Configuration(bad);
            Assert.Throws<InvalidOperationException>(() => WebPushSettings.Load(configuration, SiloSettings.From(configuration)));
        }
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
