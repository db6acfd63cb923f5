namespace Mindspace.Runtime;

/// <summary>
/// A wake-up for loops that wait on something or a timeout: <see cref="Next"/> completes at the
/// first <see cref="Fire"/> after it was read. Take <see cref="Next"/> before checking for work, so a
/// fire between the check and the wait is not missed.
/// </summary>
internal class AsyncSignal
{
    private TaskCompletionSource _current = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Next => Volatile.Read(ref _current).Task;

    public void Fire()
        => Interlocked.Exchange(ref _current, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
