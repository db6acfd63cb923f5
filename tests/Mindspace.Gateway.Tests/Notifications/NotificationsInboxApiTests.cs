using System.Net;
using System.Text.Json;
using Mindspace.Gateway.Tests.Auth;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Notifications;

namespace Mindspace.Gateway.Tests.Notifications;

public sealed class NotificationsInboxApiTests(SharedHost shared) : IClassFixture<SharedHost>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private MindspaceTestHost Host => shared.Host;

    [Fact]
    public async Task The_list_is_newest_first_and_pages_with_a_cursor()
    {
        var user = await Host.RegisterAndLoginAsync(); // the sign-in is notification 1
        foreach (var title in new[] { "one", "two", "three", "four" })
        {
            await Host.NotifyAsync(user, "community.reply", title);
        }

        var first = await user.Client.GetOkAsync("/api/v1/notifications?limit=2");
        Assert.Equal(["four", "three"], first.GetProperty("items").EnumerateArray().Titles());
        var second = await user.Client.GetOkAsync($"/api/v1/notifications?limit=2&cursor={first.GetProperty("nextCursor").GetString()}");
        Assert.Equal(["two", "one"], second.GetProperty("items").EnumerateArray().Titles());
        var third = await user.Client.GetOkAsync($"/api/v1/notifications?limit=2&cursor={second.GetProperty("nextCursor").GetString()}");
        var last = Assert.Single(third.GetProperty("items").EnumerateArray());
        Assert.Equal("security.sign-in", last.GetProperty("kind").GetString());
        Assert.Equal("account", last.GetProperty("category").GetString());
        Assert.Equal(1, last.GetProperty("sequence").GetInt64());
        Assert.Equal(JsonValueKind.Null, third.GetProperty("nextCursor").ValueKind);

        var item = first.GetProperty("items")[0];
        Assert.Equal("community", item.GetProperty("category").GetString());
        Assert.Equal(1, item.GetProperty("count").GetInt32());
        Assert.False(item.GetProperty("read").GetBoolean());
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("cursor=abc", "cursor")]
    [InlineData("cursor=-3", "cursor")]
    public async Task Bad_paging_is_a_validation_problem(string query, string field)
    {
        var user = await Host.RegisterAndLoginAsync();
        await (await user.Client.GetAsync("/api/v1/notifications?" + query)).AssertValidationProblemAsync(field);
    }

    [Fact]
    public async Task Marking_one_and_all_read_moves_the_unread_count()
    {
        var user = await Host.RegisterAndLoginAsync();
        await Host.NotifyAsync(user, "focus.session-done", "a");
        await Host.NotifyAsync(user, "orders.shipped", "b");
        Assert.Equal(3, await user.Client.UnreadAsync());

        var a = (await user.Client.ListAsync()).Single(n => n.GetProperty("title").GetString() == "a");
        var markA = $"/api/v1/notifications/{a.GetProperty("id").GetGuid()}/read";
        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.PostAsync(markA, null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.PostAsync(markA, null)).StatusCode); // idempotent
        Assert.Equal(2, await user.Client.UnreadAsync());
        var readA = (await user.Client.ListAsync()).Single(n => n.GetProperty("title").GetString() == "a");
        Assert.True(readA.GetProperty("read").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, readA.GetProperty("readAt").ValueKind);

        var all = await user.Client.PostAsync("/api/v1/notifications/read-all", null);
        Assert.Equal(2, JsonDocument.Parse(await all.Content.ReadAsStringAsync()).RootElement.GetProperty("marked").GetInt32());
        Assert.Equal(0, await user.Client.UnreadAsync());
        Assert.All(await user.Client.ListAsync(), n => Assert.True(n.GetProperty("read").GetBoolean()));
    }

    [Fact]
    public async Task Another_users_notification_is_not_found_and_stays_as_it_was()
    {
        var owner = await Host.RegisterAndLoginAsync();
        var other = await Host.RegisterAndLoginAsync();
        var id = (await owner.Client.ListAsync()).Single().GetProperty("id").GetGuid();

        await (await other.Client.PostAsync($"/api/v1/notifications/{id}/read", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await other.Client.DeleteAsync($"/api/v1/notifications/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await other.Client.DeleteAsync("/api/v1/notifications/not-a-guid")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await owner.Client.PostAsync($"/api/v1/notifications/{Guid.NewGuid()}/read", null)).AssertProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(id, (await owner.Client.ListAsync()).Single().GetProperty("id").GetGuid());
        Assert.Equal(1, await owner.Client.UnreadAsync());
        Assert.DoesNotContain(await other.Client.ListAsync(), n => n.GetProperty("id").GetGuid() == id);
    }

    [Fact]
    public async Task Deleting_hides_a_notification_but_keeps_its_number_so_hub_replays_and_live_pushes_go_on()
    {
        var user = await Host.RegisterAndLoginAsync(); // 1
        await Host.NotifyAsync(user, "community.reply", "keep"); // 2
        await Host.NotifyAsync(user, "community.reply", "delete me"); // 3
        await Host.NotifyAsync(user, "community.reply", "keep too"); // 4
        var doomed = (await user.Client.ListAsync()).Single(n => n.GetProperty("title").GetString() == "delete me");
        Assert.Equal(3, doomed.GetProperty("sequence").GetInt64());

        var uri = $"/api/v1/notifications/{doomed.GetProperty("id").GetGuid()}";
        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.DeleteAsync(uri)).StatusCode);
        await (await user.Client.DeleteAsync(uri)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(["keep too", "keep", "New sign-in"], (await user.Client.ListAsync()).Titles());
        Assert.Equal(3, await user.Client.UnreadAsync());

        // A replay passes over the deleted number; a live one after it is not held back as a gap.
        await using var client = await NotificationsHubClient.ConnectAsync(Host.BaseAddress, user.AccessToken, lastSequence: 1);
        Assert.Equal(2, await client.NextSequenceAsync(Wait));
        Assert.Equal(4, await client.NextSequenceAsync(Wait));
        await Host.NotifyAsync(user, "community.reply", "live"); // 5
        var live = await client.NextAsync(Wait);
        Assert.Equal(5, live.GetProperty("sequence").GetInt64());
        Assert.Equal("live", live.GetProperty("title").GetString());

        // The relay's gap filling reads every number: the deleted one is there as a tombstone without its words.
        var page = await Host.Grains.GetGrain<INotificationInboxGrain>(user.UserId).ReadAfterAsync(0, 10);
        Assert.Equal([1L, 2, 3, 4, 5], page.Items.Select(i => i.Sequence));
        var tombstone = page.Items[2];
        Assert.True(tombstone.Removed);
        Assert.Equal("", tombstone.Notification.Title);
        Assert.Equal("", tombstone.Notification.Body);
    }

    [Fact]
    public async Task Similar_unread_notifications_gather_into_one_with_a_count()
    {
        var user = await Host.RegisterAndLoginAsync(); // 1
        var post = $"community.post-liked:{Guid.NewGuid()}";
        await Host.NotifyAsync(user, "community.post-liked", "Someone liked your post", post); // 2
        await Host.NotifyAsync(user, "community.post-liked", "2 people liked your post", post); // 3
        await Host.NotifyAsync(user, "community.reply", "A reply", $"community.reply:{Guid.NewGuid()}"); // 4, another key
        var third = await Host.NotifyAsync(user, "community.post-liked", "3 people liked your post", post); // 5
        Assert.Equal(3, third.Stored!.Count);

        var items = await user.Client.ListAsync();
        Assert.Equal(["3 people liked your post", "A reply", "New sign-in"], items.Titles());
        Assert.Equal(3, items[0].GetProperty("count").GetInt32());
        Assert.Equal(1, items[1].GetProperty("count").GetInt32());
        Assert.Equal(3, await user.Client.UnreadAsync());

        // Once read, the batch is closed: the next like starts again at one.
        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.PostAsync($"/api/v1/notifications/{items[0].GetProperty("id").GetGuid()}/read", null)).StatusCode);
        var next = await Host.NotifyAsync(user, "community.post-liked", "Someone liked your post", post);
        Assert.Equal(1, next.Stored!.Count);
        Assert.Equal(4, (await user.Client.ListAsync()).Count);

        // A replay from the start shows each batch once, at its newest.
        await using var client = await NotificationsHubClient.ConnectAsync(Host.BaseAddress, user.AccessToken, lastSequence: 0);
        var replayed = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            replayed.Add(await client.NextSequenceAsync(Wait));
        }

        Assert.Equal([1L, 4, 5, 6], replayed);
    }

    [Fact]
    public async Task Preferences_default_to_in_app_and_a_category_set_to_none_is_not_kept()
    {
        var user = await Host.RegisterAndLoginAsync(timeZone: "Europe/Paris");
        var defaults = await user.Client.GetOkAsync("/api/v1/notifications/preferences");
        Assert.Equal(
            ["account", "community", "digest", "focus", "orders", "reminders", "safety"],
            defaults.GetProperty("delivery").EnumerateObject().Select(p => p.Name).Order());
        Assert.All(defaults.GetProperty("delivery").EnumerateObject(), p => Assert.Equal("inApp", p.Value.GetString()));
        Assert.Equal(JsonValueKind.Null, defaults.GetProperty("quietHours").ValueKind);
        Assert.Equal("Europe/Paris", defaults.GetProperty("timeZone").GetString());

        var put = await user.Client.PutPreferencesAsync("""{"delivery":{"community":"none","digest":"push"}}""");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var saved = await user.Client.GetOkAsync("/api/v1/notifications/preferences");
        Assert.Equal("none", saved.GetProperty("delivery").GetProperty("community").GetString());
        Assert.Equal("push", saved.GetProperty("delivery").GetProperty("digest").GetString());
        Assert.Equal("inApp", saved.GetProperty("delivery").GetProperty("orders").GetString());

        Assert.Equal(NotifyStatus.Dropped, (await Host.NotifyAsync(user, "community.reply", "muted")).Status);
        Assert.Equal(NotifyStatus.Delivered, (await Host.NotifyAsync(user, NotificationKinds.ReportsWeeklyReady, "Your week")).Status);
        Assert.Equal(["Your week", "New sign-in"], (await user.Client.ListAsync()).Titles());
        Assert.Equal("digest", (await user.Client.ListAsync())[0].GetProperty("category").GetString());
    }

    [Theory]
    [InlineData("""{"delivery":{"account":"none"}}""", "delivery.account")]
    [InlineData("""{"delivery":{"safety":"none"}}""", "delivery.safety")]
    [InlineData("""{"delivery":{"gossip":"inApp"}}""", "delivery.gossip")]
    [InlineData("""{"delivery":{"community":"loud"}}""", "delivery.community")]
    [InlineData("""{"delivery":{"community":null}}""", "delivery.community")]
    [InlineData("""{"quietHours":{"start":"25:00","end":"07:00"}}""", "quietHours.start")]
    [InlineData("""{"quietHours":{"start":"22:00","end":"7am"}}""", "quietHours.end")]
    [InlineData("""{"quietHours":{"start":"22:00"}}""", "quietHours.end")]
    [InlineData("""{"quietHours":{"start":"22:00","end":"22:00"}}""", "quietHours.end")]
    public async Task Bad_preferences_are_validation_problems_that_change_nothing(string body, string field)
    {
        var user = await Host.RegisterAndLoginAsync();
        Assert.Equal(HttpStatusCode.OK, (await user.Client.PutPreferencesAsync("""{"delivery":{"orders":"push"},"quietHours":{"start":"22:00","end":"07:00"}}""")).StatusCode);
        var before = (await user.Client.GetOkAsync("/api/v1/notifications/preferences")).GetRawText();

        await (await user.Client.PutPreferencesAsync(body)).AssertValidationProblemAsync(field);

        Assert.Equal(before, (await user.Client.GetOkAsync("/api/v1/notifications/preferences")).GetRawText());
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"delivery":["community"]}""")]
    [InlineData("""{"delivery":{"community":5}}""")]
    [InlineData("""{"quietHours":"22:00-07:00"}""")]
    public async Task Malformed_preference_bodies_are_bad_requests_that_change_nothing(string body)
    {
        var user = await Host.RegisterAndLoginAsync();
        var before = (await user.Client.GetOkAsync("/api/v1/notifications/preferences")).GetRawText();

        await (await user.Client.PutPreferencesAsync(body)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(before, (await user.Client.GetOkAsync("/api/v1/notifications/preferences")).GetRawText());
    }

    [Fact]
    public async Task Export_includes_notifications_and_preferences_and_deleting_the_account_erases_them()
    {
        var user = await Host.RegisterAndLoginAsync();
        await Host.NotifyAsync(user, "reminders.check-in", "Time for a check-in, if you like");
        Assert.Equal(HttpStatusCode.OK, (await user.Client.PutPreferencesAsync("""{"delivery":{"focus":"none"}}""")).StatusCode);

        var export = (await user.Client.GetOkAsync("/api/v1/me/export")).GetProperty("notifications");
        Assert.Equal(
            ["New sign-in", "Time for a check-in, if you like"],
            export.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("notification").GetProperty("title").GetString()));
        Assert.Equal("none", export.GetProperty("preferences").GetProperty("delivery").GetProperty("focus").GetString());

        var delete = await user.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = System.Net.Http.Json.JsonContent.Create(new { password = user.Password }) });
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);

        var erased = await Host.Grains.GetGrain<INotificationInboxGrain>(user.UserId).ExportAsync();
        Assert.Empty(erased.Items);
        Assert.Empty(erased.Held);
        Assert.Equal("inApp", erased.Preferences.Delivery[NotificationCategories.Focus]);
    }
}
