using Mindspace.Runtime.Messaging;

namespace Mindspace.Runtime.Activation;

/// <summary>Something an activation runs as a turn.</summary>
internal interface IWorkItem;

/// <summary>
/// A grain call; its response completes <see cref="Completion"/>. It is its own completion source,
/// so a call costs one object here, not two.
/// </summary>
internal sealed class RequestWorkItem(GrainRequest request)
    : TaskCompletionSource<GrainResponse>(TaskCreationOptions.RunContinuationsAsynchronously), IWorkItem
{
    private CancellationTokenSource? _deadline;

    public GrainRequest Request { get; } = request;

    public Task<GrainResponse> Completion => Task;

    public void Complete(GrainResponse response) => TrySetResult(response);

    /// <summary>
    /// A token for the grain method, cancelled when the deadline sweep times this call out. Its
    /// source has no timer, so there is nothing to dispose.
    /// </summary>
    public CancellationToken DeadlineToken()
    {
        if (Volatile.Read(ref _deadline) is null)
        {
            Interlocked.CompareExchange(ref _deadline, new CancellationTokenSource(), null);
        }

        return _deadline!.Token;
    }

    /// <summary>The deadline passed: tell the grain method, which may still be running.</summary>
    public void CancelDeadlineToken() => Volatile.Read(ref _deadline)?.Cancel();
}

/// <summary>One tick of a grain timer.</summary>
internal sealed class TimerWorkItem(GrainTimer timer) : IWorkItem
{
    public GrainTimer Timer { get; } = timer;
}

/// <summary>Ends the activation after the turns queued before it.</summary>
internal sealed class DeactivationWorkItem(DeactivationReason reason) : IWorkItem
{
    public DeactivationReason Reason { get; } = reason;
}
