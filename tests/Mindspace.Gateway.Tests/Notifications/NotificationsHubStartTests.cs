using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Mindspace.Gateway.Notifications;
using Mindspace.Gateway.Tests.Auth;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Notifications;

/// <summary>
/// A gateway whose notifications hub takes its time setting a connection up after the handshake
/// (<see cref="SlowConnectFilter"/>), as a loaded server does: the client's start() has resolved, the
/// relay has not subscribed yet.
/// </summary>
public sealed class SlowConnectHost : SharedHost
{
    protected override void ConfigureServices(IServiceCollection services)
        => services.AddSignalR().AddHubOptions<NotificationsHub>(hub => hub.AddFilter(new SlowConnectFilter()));

    /// <summary>Holds each connection three seconds after the handshake (a sign-in, which hashes a password, takes well under that), before the hub sets it up.</summary>
    private sealed class SlowConnectFilter : IHubFilter
    {
        public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            await next(context);
        }
    }
}

public sealed class NotificationsHubStartTests(SlowConnectHost shared) : IClassFixture<SlowConnectHost>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private MindspaceTestHost Host => shared.Host;

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.ServerSentEvents)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task Without_last_sequence_a_notification_created_once_start_has_resolved_arrives(HttpTransportType transport)
    {
        var user = await Host.RegisterAndLoginAsync(); // notification 1, before connecting
        await using var client = await NotificationsHubClient.ConnectAsync(Host.BaseAddress, user.AccessToken, transport);

        // The server is still setting the connection up: this one is created after the client connected, so it is sent.
        await Host.LoginAsync(user.Email, user.Password);

        var notification = await client.NextAsync(Wait);
        Assert.Equal(2, notification.GetProperty("sequence").GetInt64());
        Assert.Equal("New sign-in", notification.GetProperty("title").GetString());

        // The one from before connecting is not, and nothing comes twice: the next is 3.
        await Host.LoginAsync(user.Email, user.Password);
        Assert.Equal(3, await client.NextSequenceAsync(Wait));
    }
}
