using Mindspace.Grains.Interfaces.Notifications;

namespace Mindspace.Gateway.Tests.Cluster;

/// <summary>
/// A silo's outgoing call filter that sends chosen live pushes (<see cref="INotificationObserver.OnNotificationAsync"/>)
/// after the next one, as Orleans may deliver a connection's messages out of order. Nothing is lost.
/// </summary>
public sealed class ReorderedPushes : IOutgoingGrainCallFilter
{
    private readonly Lock _gate = new();
    private TaskCompletionSource? _next;
    private int _swapped;

    /// <summary>Which sequences wait for the next push and go after it; none until set.</summary>
    public Func<long, bool> Delay { get; set; } = _ => false;

    /// <summary>How many pushes were sent after the one that followed them.</summary>
    public int Swapped => Volatile.Read(ref _swapped);

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        if (context.InterfaceMethod.Name != nameof(INotificationObserver.OnNotificationAsync)
            || context.Request.GetArgument(1) is not InboxNotification notification)
        {
            await context.Invoke();
            return;
        }

        TaskCompletionSource? waitFor = null;
        TaskCompletionSource? release;
        lock (_gate)
        {
            release = _next;
            _next = null;
            if (release is null && Delay(notification.Sequence))
            {
                waitFor = _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        if (waitFor is not null)
        {
            // One-way: the inbox does not wait for this push, and goes on to the next notification.
            await waitFor.Task;
            Interlocked.Increment(ref _swapped);
            await context.Invoke();
            return;
        }

        await context.Invoke();
        release?.SetResult();
    }
}
