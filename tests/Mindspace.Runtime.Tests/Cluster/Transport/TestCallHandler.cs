using System.Collections.Concurrent;
using Mindspace.Runtime.Cluster.Transport;
using Mindspace.Runtime.Messaging;

namespace Mindspace.Runtime.Tests.Cluster.Transport;

/// <summary>
/// An <see cref="IInboundCallHandler"/> for transport tests: answers with a configurable function
/// and records every request it got.
/// </summary>
public sealed class TestCallHandler : IInboundCallHandler
{
    private Func<GrainRequest, CancellationToken, Task<GrainResponse>> _answer =
        static (request, _) => Task.FromResult(new GrainResponse(request.Arguments, null));

    /// <summary>Every request the handler was given, in arrival order.</summary>
    public ConcurrentQueue<GrainRequest> Received { get; } = new();

    public int CallCount => Received.Count;

    /// <summary>Replaces the answer (default: echo the arguments as the result).</summary>
    public TestCallHandler Answer(Func<GrainRequest, CancellationToken, Task<GrainResponse>> answer)
    {
        _answer = answer;
        return this;
    }

    public Task<GrainResponse> HandleAsync(GrainRequest request, CancellationToken cancellationToken)
    {
        Received.Enqueue(request);
        return _answer(request, cancellationToken);
    }
}

/// <summary>
/// Holds calls until the test lets them go: lets a test know when N calls are inside the handler
/// at the same time, then answer them in any order.
/// </summary>
public sealed class HeldCalls
{
    private readonly ConcurrentQueue<(GrainRequest Request, TaskCompletionSource<GrainResponse> Answer)> _held = new();
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _expected;
    private int _count;

    public HeldCalls(int expected) => _expected = expected;

    /// <summary>Completes once <c>expected</c> calls are held.</summary>
    public Task AllArrived => _reached.Task;

    public Task<GrainResponse> HoldAsync(GrainRequest request, CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<GrainResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _held.Enqueue((request, answer));
        if (Interlocked.Increment(ref _count) == _expected)
        {
            _reached.TrySetResult();
        }

        return answer.Task;
    }

    /// <summary>The held calls in arrival order.</summary>
    public IReadOnlyList<(GrainRequest Request, TaskCompletionSource<GrainResponse> Answer)> Calls => [.. _held];

    /// <summary>Answers every held call by echoing its arguments.</summary>
    public void ReleaseAll()
    {
        foreach (var (request, answer) in _held)
        {
            answer.TrySetResult(new GrainResponse(request.Arguments, null));
        }
    }
}
