using System.Collections.Concurrent;
using Mindspace.Grains.Interfaces.Notifications;

namespace Mindspace.Gateway.Tests.Cluster;

/// <summary>
/// A silo's outgoing call filter that loses chosen live pushes (<see cref="INotificationObserver.OnNotificationAsync"/>)
/// on their way to the gateways, as a silo dying with messages in its send queues does. The
/// notifications themselves are stored; only the push is lost.
/// </summary>
public sealed class LostPushes : IOutgoingGrainCallFilter
{
    private readonly ConcurrentQueue<long> _lost = new();

    /// <summary>Which sequences lose their push; none until set.</summary>
    public Func<long, bool> Lose { get; set; } = _ => false;

    /// <summary>The sequences whose push was lost, in the order they were lost.</summary>
    public IReadOnlyCollection<long> Lost => _lost;

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        if (context.InterfaceMethod.Name == nameof(INotificationObserver.OnNotificationAsync)
            && context.Request.GetArgument(1) is InboxNotification notification
            && Lose(notification.Sequence))
        {
            _lost.Enqueue(notification.Sequence);
            return Task.CompletedTask; // one-way: the inbox never learns
        }

        return context.Invoke();
    }
}
