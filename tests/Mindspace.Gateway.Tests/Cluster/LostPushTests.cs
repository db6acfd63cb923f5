using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Gateway.Tests.Notifications;
using Mindspace.Grains.Interfaces.Notifications;
using Mindspace.Testing;
using Orleans.Core.Internal;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace Mindspace.Gateway.Tests.Cluster;

/// <summary>
/// Live pushes are one-way and may be lost; the inbox is durable. A silo here loses chosen pushes on
/// their way to the gateway (<see cref="LostPushes"/>), and the hub client must still see every
/// notification exactly once and in order, the gaps filled from the inbox.
/// </summary>
public sealed class LostPushTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>Well short of the relay's periodic refresh, which would also deliver it (45 s).</summary>
    private static readonly TimeSpan CaughtUpWithin = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_connection_fills_lost_pushes_from_the_inbox_and_sees_every_notification_once_and_in_order()
    {
        const int Appends = 49;
        const int SignIns = 10;
        const long Last = 1 + Appends + SignIns;
        var databaseUrl = await PostgresServer.Shared.CreateDatabaseAsync("lost-pushes");
        var pushes = new LostPushes();
        await using var silo = await InProcessSilo.StartAsync(databaseUrl, builder => builder.AddOutgoingGrainCallFilter(pushes));
        await using var gateway = await MindspaceTestHost.StartGatewayOnlyAsync(databaseUrl);
        var user = await gateway.RegisterAndLoginAsync(); // notification 1
        var inbox = gateway.Grains.GetGrain<INotificationInboxGrain>(user.UserId);
        await using var client = await NotificationsHubClient.ConnectAsync(gateway.BaseAddress, user.AccessToken, lastSequence: 0);
        Assert.Equal(1, await client.NextSequenceAsync(Wait));

        // Two pushes in three are lost. The newest one's is not, so its arrival reveals every gap.
        pushes.Lose = sequence => sequence % 3 != 0;
        await Task.WhenAll(Enumerable.Range(0, Appends)
            .Select(_ => (Task)inbox.AppendAsync(new UserNotification(Guid.NewGuid(), "test.lossy", "Lossy", "Its push may be lost.", DateTimeOffset.UtcNow)))
            .Append(SignInRepeatedlyAsync(gateway, user, SignIns)));

        Assert.Equal(Last, (await inbox.ReadAfterAsync(0, 1)).LastSequence);
        var received = new List<long>();
        while (received.Count < Last - 1)
        {
            received.Add(await client.NextSequenceAsync(Wait));
        }

        Assert.Equal(Enumerable.Range(2, (int)Last - 1).Select(i => (long)i), received);
        Assert.Equal(Enumerable.Range(2, (int)Last - 1).Select(i => (long)i).Where(sequence => sequence % 3 != 0), pushes.Lost.Order());
    }

    [Fact]
    public async Task A_connection_sees_pushes_that_arrive_out_of_order_once_each_and_in_order()
    {
        const int Appends = 20;
        var databaseUrl = await PostgresServer.Shared.CreateDatabaseAsync("reordered-pushes");
        var pushes = new ReorderedPushes();
        await using var silo = await InProcessSilo.StartAsync(databaseUrl, builder => builder.AddOutgoingGrainCallFilter(pushes));
        await using var gateway = await MindspaceTestHost.StartGatewayOnlyAsync(databaseUrl);
        var user = await gateway.RegisterAndLoginAsync(); // notification 1
        var inbox = gateway.Grains.GetGrain<INotificationInboxGrain>(user.UserId);
        await using var client = await NotificationsHubClient.ConnectAsync(gateway.BaseAddress, user.AccessToken, lastSequence: 0);
        Assert.Equal(1, await client.NextSequenceAsync(Wait));

        // Every even-numbered push goes after the odd one that follows it: 3, 2, 5, 4, ...
        pushes.Delay = sequence => sequence % 2 == 0;
        for (var i = 0; i < Appends; i++)
        {
            await inbox.AppendAsync(new UserNotification(Guid.NewGuid(), "test.reordered", "Reordered", "Its push comes after the next one.", DateTimeOffset.UtcNow));
        }

        var received = new List<long>();
        while (received.Count < Appends)
        {
            received.Add(await client.NextSequenceAsync(Wait));
        }

        Assert.Equal(Enumerable.Range(2, Appends).Select(i => (long)i), received);
        Assert.Equal(Appends / 2, pushes.Swapped);
        Assert.False(await client.ReceivesWithinAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task A_gateway_only_process_delivers_a_lost_newest_push_once_the_silo_that_held_the_inbox_has_gone()
    {
        var databaseUrl = await PostgresServer.Shared.CreateDatabaseAsync("lost-push-kill");
        var pushes = new LostPushes();
        var silos = new List<InProcessSilo>();
        try
        {
            silos.Add(await InProcessSilo.StartAsync(databaseUrl, builder => builder.AddOutgoingGrainCallFilter(pushes)));
            silos.Add(await InProcessSilo.StartAsync(databaseUrl, builder => builder.AddOutgoingGrainCallFilter(pushes)));
            await using var gateway = await MindspaceTestHost.StartGatewayOnlyAsync(databaseUrl);

            await NewestPushLostThenSiloGoneAsync(gateway, pushes, silos);
        }
        finally
        {
            await Task.WhenAll(silos.Select(silo => silo.DisposeAsync().AsTask()));
        }
    }

    [Fact]
    public async Task A_gateway_hosting_a_silo_delivers_a_lost_newest_push_once_the_silo_that_held_the_inbox_has_gone()
    {
        var databaseUrl = await PostgresServer.Shared.CreateDatabaseAsync("lost-push-kill");
        var pushes = new LostPushes();
        await using var gateway = await MindspaceTestHost.StartAsync(settings => TestClusterSettings.ApplyCluster(settings, databaseUrl));
        var silo = await InProcessSilo.StartAsync(databaseUrl, builder => builder.AddOutgoingGrainCallFilter(pushes));
        try
        {
            await NewestPushLostThenSiloGoneAsync(gateway, pushes, [silo]);
        }
        finally
        {
            await silo.DisposeAsync();
        }
    }

    /// <summary>
    /// The push of a user's newest notification is lost and nothing follows it, so no later push can
    /// reveal the gap; then the silo that held the inbox dies. The relay must catch the connection up
    /// because a silo left, well before its periodic refresh (<see cref="NotificationDelivery.RefreshInterval"/>).
    /// </summary>
    private static async Task NewestPushLostThenSiloGoneAsync(MindspaceTestHost gateway, LostPushes pushes, IReadOnlyList<InProcessSilo> lossySilos)
    {
        // A user whose inbox one of the lossy silos holds: placement is Orleans' choice, so an inbox
        // placed elsewhere (on the gateway's own silo, say) is moved there.
        var user = await gateway.RegisterAndLoginAsync(); // notification 1 activates the inbox
        var inbox = gateway.Grains.GetGrain<INotificationInboxGrain>(user.UserId);
        var holder = await LossySiloHoldingAsync(gateway, inbox, lossySilos);

        await using var client = await NotificationsHubClient.ConnectAsync(gateway.BaseAddress, user.AccessToken, lastSequence: 0);
        Assert.Equal(1, await client.NextSequenceAsync(Wait));

        pushes.Lose = sequence => sequence == 2;
        await gateway.LoginAsync(user.Email, user.Password); // notification 2: stored, its push lost
        Assert.Equal([2L], pushes.Lost);

        await holder.KillAsync();

        Assert.Equal(2, await client.NextSequenceAsync(CaughtUpWithin));
    }

    /// <summary>The lossy silo that holds <paramref name="inbox"/>, after migrating it to the first of them if none does.</summary>
    private static async Task<InProcessSilo> LossySiloHoldingAsync(MindspaceTestHost gateway, INotificationInboxGrain inbox, IReadOnlyList<InProcessSilo> lossySilos)
    {
        var management = gateway.Grains.GetGrain<IManagementGrain>(0);
        var address = await management.GetActivationAddress(inbox);
        if (lossySilos.FirstOrDefault(silo => address is not null && silo.Is(address)) is { } holder)
        {
            return holder;
        }

        var target = lossySilos[0];
        RequestContext.Set(IPlacementDirector.PlacementHintKey, target.Address);
        try
        {
            await inbox.AsReference<IGrainManagementExtension>().MigrateOnIdle();
            var deadline = DateTime.UtcNow + Wait;
            while (!(await management.GetActivationAddress(inbox) is { } moved && target.Is(moved)))
            {
                Assert.True(DateTime.UtcNow < deadline, $"The inbox did not move to silo {target.Address} within {Wait}.");
                await Task.Delay(50);
                await inbox.GetUnreadCountAsync(); // activates it on the hinted silo, if the move left it inactive
            }
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }

        return target;
    }

    /// <summary>Signs in <paramref name="times"/> times, one after another, as a person would (each sign-in hashes the password).</summary>
    private static async Task SignInRepeatedlyAsync(MindspaceTestHost host, TestUser user, int times)
    {
        for (var i = 0; i < times; i++)
        {
            await host.LoginAsync(user.Email, user.Password);
        }
    }
}
