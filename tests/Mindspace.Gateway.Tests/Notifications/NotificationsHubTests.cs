using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Mindspace.Gateway.Tests.Auth;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Notifications;
using Mindspace.Grains.Records;

namespace Mindspace.Gateway.Tests.Notifications;

public sealed class NotificationsHubTests(SharedHost shared) : IClassFixture<SharedHost>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private MindspaceTestHost Host => shared.Host;

    [Fact]
    public async Task Anonymous_and_revoked_connections_are_refused()
    {
        var anonymous = await Assert.ThrowsAsync<HttpRequestException>(() => NotificationsHubClient.ConnectAsync(Host.BaseAddress, null));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var user = await Host.RegisterAndLoginAsync();
        await user.Client.PostAsync("/api/v1/auth/logout", null);
        var revoked = await Assert.ThrowsAsync<HttpRequestException>(() => NotificationsHubClient.ConnectAsync(Host.BaseAddress, user.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
    }

    [Fact]
    public async Task A_sign_in_pushes_a_security_notification_to_a_connected_client()
    {
        var user = await Host.RegisterAndLoginAsync();
        await using var client = await NotificationsHubClient.ConnectAsync(Host.BaseAddress, user.AccessToken);

        await Host.LoginAsync(user.Email, user.Password);

        var notification = await client.NextAsync(Wait);
        Assert.Equal("security.sign-in", notification.GetProperty("kind").GetString());
        Assert.Equal("New sign-in", notification.GetProperty("title").GetString());
        Assert.Contains("sign out everywhere", notification.GetProperty("body").GetString());
        Assert.Equal(2, notification.GetProperty("sequence").GetInt64()); // the first was the sign-in before connecting
        Assert.NotEqual(Guid.Empty, notification.GetProperty("id").GetGuid());
        Assert.True(notification.GetProperty("createdAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));

        // Delivery is in stream order, so a repeat of the first would arrive before the next one: no waiting for silence.
        await Host.LoginAsync(user.Email, user.Password);
        Assert.Equal(3, await client.NextSequenceAsync(Wait));
    }

    [Fact]
    public async Task Reconnecting_with_last_sequence_delivers_exactly_the_missed_notifications_in_order()
    {
        var user = await Host.RegisterAndLoginAsync();
        long lastSeen;
        await using (var first = await NotificationsHubClient.ConnectAsync(Host.BaseAddress, user.AccessToken))
        {
            await Host.LoginAsync(user.Email, user.Password);
            lastSeen = await first.NextSequenceAsync(Wait);
        }

        for (var i = 0; i < 3; i++)
        {
            await Host.LoginAsync(user.Email, user.Password); // missed while disconnected
        }

        await using var second = await NotificationsHubClient.ConnectAsync(Host.BaseAddress, user.AccessToken, lastSeen);
        var missed = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            missed.Add(await second.NextSequenceAsync(Wait));
        }

        Assert.Equal([lastSeen + 1, lastSeen + 2, lastSeen + 3], missed);

        // Nothing else came in between: a repeat or an extra would arrive before this new one.
        await Host.LoginAsync(user.Email, user.Password);
        Assert.Equal(lastSeen + 4, await second.NextSequenceAsync(Wait));
    }

    [Fact]
    public async Task Notifications_stored_all_at_once_reach_every_connection_once_each_and_in_order()
    {
        const int Appends = 60;
        const int SignIns = 10;
        const long Last = 1 + Appends + SignIns;
        var user = await Host.RegisterAndLoginAsync(); // notification 1
        var inbox = Host.Grains.GetGrain<INotificationInboxGrain>(user.UserId);
        await using var fromStart = await NotificationsHubClient.ConnectAsync(Host.BaseAddress, user.AccessToken, lastSequence: 0);
        await using var fromNow = await NotificationsHubClient.ConnectAsync(Host.BaseAddress, user.AccessToken);

        // Appends straight to the inbox, all in flight together, and sign-ins through the API alongside,
        // while a third device connects and catches up from the inbox as live pushes arrive.
        var storing = Enumerable.Range(0, Appends)
            .Select(_ => (Task)inbox.AppendAsync(new UserNotification(Guid.NewGuid(), "test.burst", "Burst", "One of many at once.", DateTimeOffset.UtcNow)))
            .Append(SignInRepeatedlyAsync(user, SignIns))
            .ToList();
        await using var joining = await NotificationsHubClient.ConnectAsync(Host.BaseAddress, user.AccessToken, lastSequence: 1);
        await Task.WhenAll(storing);

        Assert.Equal(Last, (await inbox.ReadAfterAsync(0, 1)).LastSequence);
        Assert.Equal(Sequences(1, Last), await ReadAsync(fromStart, Last));
        Assert.Equal(Sequences(2, Last), await ReadAsync(fromNow, Last - 1));
        Assert.Equal(Sequences(2, Last), await ReadAsync(joining, Last - 1));

        // Nothing repeated after the last one either: a repeat would arrive before this new one.
        await Host.LoginAsync(user.Email, user.Password);
        Assert.Equal(Last + 1, await fromStart.NextSequenceAsync(Wait));
    }

    [Fact]
    public async Task An_append_never_overwrites_a_number_another_activation_of_the_inbox_took()
    {
        var user = await Host.RegisterAndLoginAsync();
        var inbox = Host.Grains.GetGrain<INotificationInboxGrain>(user.UserId);
        Assert.Equal(1, (await inbox.ReadAfterAsync(0, 10)).LastSequence);

        // A second activation (possible for a moment while membership settles) stores number 2 behind this one's back.
        var theirs = new UserNotification(Guid.NewGuid(), "test.other-activation", "Stored elsewhere", "Kept.", DateTimeOffset.UtcNow);
        var store = Host.Services.GetRequiredService<IRecordStore>();
        await store.PutAsync("notification_inbox", inbox.GetGrainId().Key.ToString()!, "0000000000000000002", JsonSerializer.SerializeToUtf8Bytes(theirs, RecordJson.Options), default);

        await Host.LoginAsync(user.Email, user.Password);

        var page = await inbox.ReadAfterAsync(0, 10);
        Assert.Equal([1L, 2L, 3L], page.Items.Select(n => n.Sequence));
        Assert.Equal(theirs, page.Items[1].Notification);
        Assert.Equal(NotificationKinds.SecuritySignIn, page.Items[2].Notification.Kind);
        Assert.Equal(3, page.LastSequence);
    }

    [Fact]
    public async Task Notifications_go_only_to_their_own_user()
    {
        var alice = await Host.RegisterAndLoginAsync();
        var bob = await Host.RegisterAndLoginAsync();
        await using var bobs = await NotificationsHubClient.ConnectAsync(Host.BaseAddress, bob.AccessToken, lastSequence: 0);
        Assert.Equal(1, await bobs.NextSequenceAsync(Wait));

        await Host.LoginAsync(alice.Email, alice.Password);

        Assert.False(await bobs.ReceivesWithinAsync(TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task A_malformed_last_sequence_closes_the_connection_with_an_error()
    {
        var user = await Host.RegisterAndLoginAsync();
        await using var client = await NotificationsHubClient.ConnectAsync(Host.BaseAddress, user.AccessToken, lastSequence: "-1");

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.NextAsync(Wait));
        var error = Assert.IsType<HubException>(client.CloseError);
        Assert.Contains("lastSequence must be a whole number", error.Message);
    }

    [Fact]
    public async Task The_hub_contract_is_published_beside_the_openapi_document()
    {
        var contract = await Host.Client.GetFromJsonAsync<JsonElement>("/openapi/hubs.json");

        var hubs = contract.GetProperty("hubs").EnumerateArray().ToList();
        Assert.Equal(["attention", "community", "notifications", "therapist"], hubs.Select(h => h.GetProperty("name").GetString()).Order());
        var hub = hubs.Single(h => h.GetProperty("name").GetString() == "notifications");
        Assert.Equal(NotificationsHubClient.HubPath, hub.GetProperty("path").GetString());
        Assert.True(hub.GetProperty("query").TryGetProperty("lastSequence", out _));

        // Every hub authenticates alike (the gateway's bearer tokens), and each entry says how in full.
        Assert.All(hubs, h => Assert.Equal(hub.GetProperty("authentication").GetRawText(), h.GetProperty("authentication").GetRawText()));
        Assert.All(hubs, h => Assert.True(h.GetProperty("query").TryGetProperty("access_token", out _)));
        Assert.Contains("access_token query parameter", hub.GetProperty("authentication").GetProperty("description").GetString());
        var schema = hub.GetProperty("clientMethods").GetProperty("notification").GetProperty("arguments")[0];
        Assert.Equal(
            ["body", "createdAt", "id", "kind", "sequence", "title"],
            schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order());

        // The community hub: what a client may call, and what it hears (as docs/realtime.md describes).
        var community = hubs.Single(h => h.GetProperty("name").GetString() == "community");
        Assert.Equal("/hubs/community", community.GetProperty("path").GetString());
        Assert.Equal(
            ["JoinFeed", "JoinPost", "LeaveFeed", "LeavePost"],
            community.GetProperty("serverMethods").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("postId", community.GetProperty("serverMethods").GetProperty("JoinPost").GetProperty("arguments")[0].GetProperty("name").GetString());
        var events = community.GetProperty("clientMethods");
        Assert.Equal(["commentAdded", "likesChanged", "postCreated"], events.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(
            ["author", "body", "createdAt", "depth", "html", "id", "parentId", "postId"],
            events.GetProperty("commentAdded").GetProperty("arguments")[0].GetProperty("properties").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(["likes", "postId"], events.GetProperty("likesChanged").GetProperty("arguments")[0].GetProperty("properties").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(["post", "tag"], events.GetProperty("postCreated").GetProperty("arguments")[0].GetProperty("properties").EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task Every_hub_the_gateway_maps_and_every_method_a_client_may_call_is_in_the_hub_contract()
    {
        var contract = await Host.Client.GetFromJsonAsync<JsonElement>("/openapi/hubs.json");
        var described = contract.GetProperty("hubs").EnumerateArray().ToDictionary(h => h.GetProperty("path").GetString()!);

        var mapped = Host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HubMetadata>() is not null && !e.RoutePattern.RawText!.EndsWith("/negotiate", StringComparison.Ordinal))
            .ToDictionary(e => e.RoutePattern.RawText!, e => e.Metadata.GetMetadata<HubMetadata>()!.HubType);

        Assert.Equal(mapped.Keys.Order(), described.Keys.Order());
        foreach (var (path, hubType) in mapped)
        {
            var callable = hubType.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(m => !m.IsSpecialName && m.GetBaseDefinition().DeclaringType == hubType)
                .Select(m => m.Name);
            Assert.Equal(callable.Order(), described[path].GetProperty("serverMethods").EnumerateObject().Select(p => p.Name).Order());
        }
    }

    private static long[] Sequences(long from, long to) => [.. Enumerable.Range((int)from, (int)(to - from + 1)).Select(i => (long)i)];

    private static async Task<long[]> ReadAsync(NotificationsHubClient client, long count)
    {
        var sequences = new long[count];
        for (var i = 0; i < count; i++)
        {
            sequences[i] = await client.NextSequenceAsync(Wait);
        }

        return sequences;
    }

    /// <summary>Signs in <paramref name="times"/> times, one after another, as a person would (each sign-in hashes the password).</summary>
    private async Task SignInRepeatedlyAsync(TestUser user, int times)
    {
        for (var i = 0; i < times; i++)
        {
            await Host.LoginAsync(user.Email, user.Password);
        }
    }
}
