using Mindspace.Silo.Storage;

namespace Mindspace.Storage.Tests.Records;

/// <summary>
/// The gather window of <see cref="GroupCommitQueue{TWrite}"/>: after a commit that carried several
/// writes, the flusher waits before the next batch; a write that committed alone is never followed by
/// a wait. The window is timed with a clock the test fires by hand, so nothing depends on timing.
/// </summary>
public sealed class GroupCommitQueueTests
{
    private static readonly TimeSpan Forever = TimeSpan.FromSeconds(30);

    private readonly HandFiredTimers _time = new();
    private readonly List<int[]> _commits = [];
    private readonly TaskCompletionSource _firstCommitStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _releaseFirstCommit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly GroupCommitQueue<TestWrite> _queue;

    public GroupCommitQueueTests()
    {
        _queue = new GroupCommitQueue<TestWrite>(CommitAsync, maxBatchSize: 100, gatherWindow: TimeSpan.FromMilliseconds(1), _time);
    }

    [Fact]
    public async Task After_a_commit_of_several_writes_the_next_batch_gathers_until_the_window_ends_and_a_lone_write_never_waits()
    {
        // Idle: the first write goes at once, alone; two more queue behind its commit.
        var first = Enqueue(0);
        await _firstCommitStarted.Task.WaitAsync(Forever);
        var second = Enqueue(1);
        var third = Enqueue(2);
        _releaseFirstCommit.SetResult();

        // The lone commit is not followed by a wait (no timer fires here): the two queued go at once, together.
        await Task.WhenAll(first.Completion.Task, second.Completion.Task, third.Completion.Task).WaitAsync(Forever);

        // That commit carried two writes: the flusher now waits the window, and what arrives meanwhile waits with it.
        await _time.Started.WaitAsync(Forever);
        var fourth = Enqueue(3);
        var fifth = Enqueue(4);
        await Task.Delay(50);
        Assert.False(fourth.Completion.Task.IsCompleted, "a write was sent before the gather window ended");

        _time.FireNext();
        await Task.WhenAll(fourth.Completion.Task, fifth.Completion.Task).WaitAsync(Forever);

        // Another window follows that commit; whatever comes after it commits alone, with no third wait.
        await _time.Started.WaitAsync(Forever);
        _time.FireNext();
        await Enqueue(5).Completion.Task.WaitAsync(Forever);

        Assert.Equal([[0], [1, 2], [3, 4], [5]], _commits);
        Assert.Equal(2, _time.Fired);
        Assert.Equal(0, _time.Started.CurrentCount);
    }

    private TestWrite Enqueue(int id)
    {
        var write = new TestWrite(id);
        _queue.Enqueue(write);
        return write;
    }

    private async Task CommitAsync(List<TestWrite> batch)
    {
        lock (_commits)
        {
            _commits.Add([.. batch.Select(write => write.Id)]);
        }

        if (batch[0].Id == 0)
        {
            _firstCommitStarted.SetResult();
            await _releaseFirstCommit.Task;
        }

        foreach (var write in batch)
        {
            write.Completion.TrySetResult();
        }
    }

    private sealed class TestWrite(int id) : GroupCommitWrite(CancellationToken.None)
    {
        public int Id { get; } = id;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Fail(Exception exception) => Completion.TrySetException(exception);

        protected override void Cancel(CancellationToken cancellationToken) => Completion.TrySetCanceled(cancellationToken);
    }

    /// <summary>A clock whose timers fire only when the test says so, in the order they were started.</summary>
    private sealed class HandFiredTimers : TimeProvider
    {
        private readonly Lock _gate = new();
        private readonly Queue<(TimerCallback Callback, object? State)> _waiting = new();

        /// <summary>Released once for every timer started.</summary>
        public SemaphoreSlim Started { get; } = new(0);

        public int Fired { get; private set; }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            lock (_gate)
            {
                _waiting.Enqueue((callback, state));
            }

            Started.Release();
            return new NeverFires();
        }

        public void FireNext()
        {
            (TimerCallback Callback, object? State) timer;
            lock (_gate)
            {
                timer = _waiting.Dequeue();
                Fired++;
            }

            timer.Callback(timer.State);
        }

        private sealed class NeverFires : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
