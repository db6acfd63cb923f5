using Mindspace.Runtime.Messaging;

namespace Mindspace.Runtime.Cluster.Transport;

/// <summary>
/// A call waiting for its answer: the task the caller awaits (continuations run off the socket
/// reader) plus the state that decides how it fails if its connection dies — still
/// <see cref="Queued"/> (its bytes never left: <see cref="CallNotSentException"/>) or
/// <see cref="Sent"/> (it may have run: <see cref="SiloConnectionLostException"/>).
/// </summary>
internal sealed class PendingCall : TaskCompletionSource<GrainResponse>
{
    /// <summary>Waiting in the connection's outbox; no byte of it was handed to the socket.</summary>
    public const int Queued = 0;

    /// <summary>Handed to the socket (or about to be): the silo may run it.</summary>
    public const int Sent = 1;

    /// <summary>Answered, failed, timed out or cancelled: nothing may touch it any more.</summary>
    public const int Done = 2;

    private int _state;
    private CancellationTokenRegistration _cancellation;
    private volatile SiloConnection? _connection;

    public PendingCall(GrainRequest request)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        Request = request;
        DeadlineTicks = request.Deadline.UtcTicks;
    }

    public GrainRequest Request { get; }

    /// <summary>The deadline as UTC ticks (compared with <see cref="DateTime.UtcNow"/>'s ticks).</summary>
    public long DeadlineTicks { get; }

    /// <summary>The id of the call on its current connection.</summary>
    public long CallId { get; private set; }

    public bool IsDone => Volatile.Read(ref _state) == Done;

    /// <summary>Binds the call to a connection before it is queued there.</summary>
    public void AssignTo(SiloConnection connection, long callId)
    {
        CallId = callId;
        _connection = connection;
    }

    /// <summary>Moves Queued → Sent; false if the call is already done (the writer then skips it).</summary>
    public bool TryMarkSent() => Interlocked.CompareExchange(ref _state, Sent, Queued) == Queued;

    /// <summary>
    /// Claims the right to complete the call; returns the state it was in. Only the one caller that
    /// gets something other than <see cref="Done"/> may complete the task.
    /// </summary>
    public int Finish()
    {
        var previous = Interlocked.Exchange(ref _state, Done);
        if (previous != Done)
        {
            _cancellation.Unregister();
        }

        return previous;
    }

    /// <summary>Completes with the silo's answer (unless already done).</summary>
    public void Complete(GrainResponse response)
    {
        if (Finish() != Done)
        {
            TrySetResult(response);
        }
    }

    /// <summary>Fails with <paramref name="exception"/> (unless already done).</summary>
    public void Fail(Exception exception)
    {
        if (Finish() != Done)
        {
            TrySetException(exception);
        }
    }

    /// <summary>Stops waiting when <paramref name="cancellationToken"/> fires. Called once, before the call is published.</summary>
    public void WatchCancellation(CancellationToken cancellationToken)
        => _cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((PendingCall)state!).OnCancelled(token), this);

    private void OnCancelled(CancellationToken cancellationToken)
    {
        var previous = Interlocked.Exchange(ref _state, Done);
        _connection?.Forget(this); // before the caller resumes, so no entry outlives the wait
        if (previous != Done)
        {
            TrySetCanceled(cancellationToken);
        }
    }
}
