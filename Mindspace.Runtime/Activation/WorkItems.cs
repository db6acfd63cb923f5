using Mindspace.Runtime.Messaging;

namespace Mindspace.Runtime.Activation;

/// <summary>Something an activation runs as a turn.</summary>
internal abstract class WorkItem;

/// <summary>A grain call; its response completes <see cref="Completion"/>.</summary>
internal sealed class RequestWorkItem(GrainRequest request) : WorkItem
{
    private readonly TaskCompletionSource<GrainResponse> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public GrainRequest Request { get; } = request;

    public Task<GrainResponse> Completion => _completion.Task;

    public void Complete(GrainResponse response) => _completion.TrySetResult(response);
}

/// <summary>One tick of a grain timer.</summary>
internal sealed class TimerWorkItem(GrainTimer timer) : WorkItem
{
    public GrainTimer Timer { get; } = timer;
}

/// <summary>Ends the activation after the turns queued before it.</summary>
internal sealed class DeactivationWorkItem(DeactivationReason reason) : WorkItem
{
    public DeactivationReason Reason { get; } = reason;
}
