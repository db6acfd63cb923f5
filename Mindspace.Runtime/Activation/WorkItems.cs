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
    public GrainRequest Request { get; } = request;

    public Task<GrainResponse> Completion => Task;

    public void Complete(GrainResponse response) => TrySetResult(response);
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
