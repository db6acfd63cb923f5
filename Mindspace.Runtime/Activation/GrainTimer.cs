namespace Mindspace.Runtime.Activation;

/// <summary>
/// A grain timer: each tick is queued as a turn of its activation, so the callback never runs at
/// the same time as a call. A tick is skipped while the previous one is still queued or running.
/// </summary>
internal sealed class GrainTimer : IDisposable
{
    private readonly ActivationData _activation;
    private readonly Timer _timer;
    private int _tickPending;
    private bool _disposed;

    public GrainTimer(ActivationData activation, Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        _activation = activation;
        Callback = callback;
        _timer = new Timer(static state => ((GrainTimer)state!).OnTick(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _timer.Change(dueTime, period);
    }

    public Func<CancellationToken, Task> Callback { get; }

    public bool IsDisposed => Volatile.Read(ref _disposed);

    public void TickCompleted() => Volatile.Write(ref _tickPending, 0);

    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        _timer.Dispose();
        _activation.ForgetTimer(this);
    }

    private void OnTick()
    {
        if (IsDisposed || Interlocked.Exchange(ref _tickPending, 1) == 1)
        {
            return;
        }

        if (!_activation.TryEnqueue(new TimerWorkItem(this)))
        {
            TickCompleted();
        }
    }
}
