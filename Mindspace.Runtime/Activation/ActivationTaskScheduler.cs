namespace Mindspace.Runtime.Activation;

/// <summary>
/// Runs one activation's tasks one at a time, in order, on the thread pool: what makes grain code
/// single-threaded. It replaces <see cref="ConcurrentExclusiveSchedulerPair"/>, which costs about a
/// kilobyte per activation and a replica task per burst; this costs a few dozen bytes while idle.
/// A burst of work runs in one thread-pool item, handing the thread back after
/// <see cref="TasksPerTurn"/> tasks so that one busy grain cannot starve the others.
/// </summary>
internal sealed class ActivationTaskScheduler : TaskScheduler, IThreadPoolWorkItem
{
    private const int TasksPerTurn = 64;

    [ThreadStatic]
    private static ActivationTaskScheduler? _running;

    private readonly Lock _lock = new();
    private Queue<Task>? _tasks;
    private bool _scheduled;

    public override int MaximumConcurrencyLevel => 1;

    void IThreadPoolWorkItem.Execute()
    {
        _running = this;
        try
        {
            for (var i = 0; i < TasksPerTurn; i++)
            {
                Task? task;
                lock (_lock)
                {
                    if (_tasks is null || !_tasks.TryDequeue(out task))
                    {
                        _scheduled = false;
                        return;
                    }
                }

                TryExecuteTask(task);
            }
        }
        finally
        {
            _running = null;
        }

        // More is queued: yield the thread and come back.
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    protected override void QueueTask(Task task)
    {
        lock (_lock)
        {
            (_tasks ??= new Queue<Task>()).Enqueue(task);
            if (_scheduled)
            {
                return;
            }

            _scheduled = true;
        }

        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
    }

    /// <summary>Inline only on the thread already running this activation's work, so nothing runs beside it.</summary>
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued)
        => _running == this && !taskWasPreviouslyQueued && TryExecuteTask(task);

    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (_lock)
        {
            return _tasks is null ? [] : [.. _tasks];
        }
    }
}
