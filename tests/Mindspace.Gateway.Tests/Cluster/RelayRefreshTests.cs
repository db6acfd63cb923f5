using Microsoft.Extensions.DependencyInjection;
using Mindspace.Gateway.Notifications;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Gateway.Tests.Notifications;
using Mindspace.Grains.Interfaces.Notifications;
using Mindspace.Testing;
using Orleans.Hosting;

namespace Mindspace.Gateway.Tests.Cluster;

/// <summary>
/// A refresh of the notification relay finds a connection behind the inbox whenever a push is still
/// on its way, which under load is nearly always. It gives such pushes a moment before it reads the
/// inbox, so a refresh costs no read when nothing was lost.
/// </summary>
public sealed class RelayRefreshTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_refresh_does_not_read_the_inbox_for_a_push_that_arrives_within_moments()
    {
        var databaseUrl = await PostgresServer.Shared.CreateDatabaseAsync("relay-refresh");
        var pushes = new HeldPushes();
        var calls = new InboxCalls();
        await using var silo = await InProcessSilo.StartAsync(databaseUrl, builder => builder.AddOutgoingGrainCallFilter(pushes).AddIncomingGrainCallFilter(calls));
        await using var gateway = await MindspaceTestHost.StartGatewayOnlyAsync(databaseUrl);
        var user = await gateway.RegisterAndLoginAsync(); // notification 1
        var inbox = gateway.Grains.GetGrain<INotificationInboxGrain>(user.UserId);
        await using var client = await NotificationsHubClient.ConnectAsync(gateway.BaseAddress, user.AccessToken, lastSequence: 0);
        Assert.Equal(1, await client.NextSequenceAsync(Wait));

        // Notification 2 is stored; its push waits in the silo.
        pushes.Hold = sequence => sequence == 2;
        await inbox.AppendAsync(new UserNotification(Guid.NewGuid(), "test.in-flight", "In flight", "Its push is on its way.", DateTimeOffset.UtcNow));
        var readsBefore = calls.Count(nameof(INotificationInboxGrain.ReadAfterAsync));

        // A closed silo connection makes every user due for a refresh at the relay's next tick; the
        // push arrives a moment after the refresh has subscribed.
        var subscribed = calls.Next(nameof(INotificationInboxGrain.SubscribeAsync));
        gateway.Services.GetRequiredService<NotificationRelay>().OnGatewayCountChanged(null, new GatewayCountChangedEventArgs(0, 1));
        await subscribed.WaitAsync(Wait);
        await Task.Delay(100);
        pushes.Release();

        Assert.Equal(2, await client.NextSequenceAsync(Wait));
        Assert.False(await client.ReceivesWithinAsync(TimeSpan.FromSeconds(1)), "notification 2 was sent twice");
        Assert.Equal(readsBefore, calls.Count(nameof(INotificationInboxGrain.ReadAfterAsync)));
    }

    /// <summary>A silo's outgoing call filter that holds chosen live pushes until <see cref="Release"/>.</summary>
    private sealed class HeldPushes : IOutgoingGrainCallFilter
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Func<long, bool> Hold { get; set; } = _ => false;

        public void Release() => _released.TrySetResult();

        public async Task Invoke(IOutgoingGrainCallContext context)
        {
            if (context.InterfaceMethod.Name == nameof(INotificationObserver.OnNotificationAsync)
                && context.Request.GetArgument(1) is InboxNotification notification
                && Hold(notification.Sequence))
            {
                await _released.Task; // one-way: the inbox does not wait for it
            }

            await context.Invoke();
        }
    }

    /// <summary>A silo's incoming call filter that counts the calls each notification inbox method receives.</summary>
    private sealed class InboxCalls : IIncomingGrainCallFilter
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<string, int> _counts = [];
        private readonly List<(string Method, TaskCompletionSource Seen)> _awaited = [];

        public int Count(string method)
        {
            lock (_gate)
            {
                return _counts.GetValueOrDefault(method);
            }
        }

        /// <summary>Completes once the next call of <paramref name="method"/> has been answered.</summary>
        public Task Next(string method)
        {
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                _awaited.Add((method, seen));
            }

            return seen.Task;
        }

        public async Task Invoke(IIncomingGrainCallContext context)
        {
            await context.Invoke();
            if (context.InterfaceMethod.DeclaringType != typeof(INotificationInboxGrain))
            {
                return;
            }

            var method = context.InterfaceMethod.Name;
            lock (_gate)
            {
                _counts[method] = _counts.GetValueOrDefault(method) + 1;
                foreach (var awaited in _awaited.Where(a => a.Method == method).ToList())
                {
                    awaited.Seen.TrySetResult();
                    _awaited.Remove(awaited);
                }
            }
        }
    }
}
