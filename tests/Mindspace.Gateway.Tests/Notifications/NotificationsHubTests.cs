using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Auth;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Notifications;

public sealed class NotificationsHubTests(SharedHost shared) : IClassFixture<SharedHost>
{
    private const string HubPath = "/hubs/notifications";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private MindspaceTestHost Host => shared.Host;

    [Fact]
    public async Task Anonymous_and_revoked_connections_are_refused()
    {
        var anonymous = await Assert.ThrowsAsync<SignalRConnectionRefusedException>(() => SignalRTestClient.ConnectAsync(Host.BaseAddress, HubPath, null));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);

        var user = await Host.RegisterAndLoginAsync();
        await user.Client.PostAsync("/api/v1/auth/logout", null);
        var revoked = await Assert.ThrowsAsync<SignalRConnectionRefusedException>(() => SignalRTestClient.ConnectAsync(Host.BaseAddress, HubPath, user.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.Status);
    }

    [Fact]
    public async Task A_sign_in_pushes_a_security_notification_to_a_connected_client()
    {
        var user = await Host.RegisterAndLoginAsync();
        await using var client = await SignalRTestClient.ConnectAsync(Host.BaseAddress, HubPath, user.AccessToken);

        await Host.LoginAsync(user.Email, user.Password);

        var notification = (await client.NextInvocationAsync("notification", Wait)).Single();
        Assert.Equal("security.sign-in", notification.GetProperty("kind").GetString());
        Assert.Equal("New sign-in", notification.GetProperty("title").GetString());
        Assert.Contains("sign out everywhere", notification.GetProperty("body").GetString());
        Assert.Equal(2, notification.GetProperty("sequence").GetInt64()); // the first was the sign-in before connecting
        Assert.NotEqual(Guid.Empty, notification.GetProperty("id").GetGuid());
        Assert.True(notification.GetProperty("createdAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));

        // Delivery is in stream order, so a repeat of the first would arrive before the next one: no waiting for silence.
        await Host.LoginAsync(user.Email, user.Password);
        Assert.Equal(3, (await client.NextInvocationAsync("notification", Wait)).Single().GetProperty("sequence").GetInt64());
    }

    [Fact]
    public async Task Reconnecting_with_last_sequence_delivers_exactly_the_missed_notifications_in_order()
    {
        var user = await Host.RegisterAndLoginAsync();
        long lastSeen;
        await using (var first = await SignalRTestClient.ConnectAsync(Host.BaseAddress, HubPath, user.AccessToken))
        {
            await Host.LoginAsync(user.Email, user.Password);
            lastSeen = (await first.NextInvocationAsync("notification", Wait)).Single().GetProperty("sequence").GetInt64();
        }

        for (var i = 0; i < 3; i++)
        {
            await Host.LoginAsync(user.Email, user.Password); // missed while disconnected
        }

        await using var second = await SignalRTestClient.ConnectAsync(
            Host.BaseAddress, HubPath, user.AccessToken, new Dictionary<string, string> { ["lastSequence"] = lastSeen.ToString() });
        var missed = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            missed.Add((await second.NextInvocationAsync("notification", Wait)).Single().GetProperty("sequence").GetInt64());
        }

        Assert.Equal([lastSeen + 1, lastSeen + 2, lastSeen + 3], missed);

        // Nothing else came in between: a repeat or an extra would arrive before this new one.
        await Host.LoginAsync(user.Email, user.Password);
        Assert.Equal(lastSeen + 4, (await second.NextInvocationAsync("notification", Wait)).Single().GetProperty("sequence").GetInt64());
    }

    [Fact]
    public async Task Notifications_go_only_to_their_own_user()
    {
        var alice = await Host.RegisterAndLoginAsync();
        var bob = await Host.RegisterAndLoginAsync();
        await using var bobs = await SignalRTestClient.ConnectAsync(Host.BaseAddress, HubPath, bob.AccessToken, new Dictionary<string, string> { ["lastSequence"] = "0" });
        Assert.Equal(1, (await bobs.NextInvocationAsync("notification", Wait)).Single().GetProperty("sequence").GetInt64());

        await Host.LoginAsync(alice.Email, alice.Password);

        Assert.False(await bobs.ReceivesWithinAsync("notification", TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task A_malformed_last_sequence_closes_the_connection_with_an_error()
    {
        var user = await Host.RegisterAndLoginAsync();
        await using var client = await SignalRTestClient.ConnectAsync(
            Host.BaseAddress, HubPath, user.AccessToken, new Dictionary<string, string> { ["lastSequence"] = "-1" });

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.NextInvocationAsync("notification", Wait));
        Assert.NotNull(client.CloseError);
    }

    [Fact]
    public async Task The_hub_contract_is_published_beside_the_openapi_document()
    {
        var contract = await Host.Client.GetFromJsonAsync<JsonElement>("/openapi/hubs.json");

        var hub = contract.GetProperty("hubs").EnumerateArray().Single();
        Assert.Equal(HubPath, hub.GetProperty("path").GetString());
        Assert.True(hub.GetProperty("query").TryGetProperty("lastSequence", out _));
        var schema = hub.GetProperty("clientMethods").GetProperty("notification").GetProperty("arguments")[0];
        Assert.Equal(
            ["body", "createdAt", "id", "kind", "sequence", "title"],
            schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order());
    }
}
