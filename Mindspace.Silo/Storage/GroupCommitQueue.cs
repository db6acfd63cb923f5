namespace Mindspace.Silo.Storage;

/// <summary>
/// Group commit, the part both databases share: writes are queued, and one flusher at a time hands
/// everything pending (at most <c>maxBatchSize</c>) to <c>commit</c>, which writes the batch in one
/// transaction and completes each write only after that commit, with its own outcome.
/// </summary>
/// <remarks>
/// <para>No added latency when idle: the first write starts the flusher at once and goes alone; only
/// writes arriving while a commit is running wait for the next one, which takes all of them.</para>
/// <para>With a gather window, a commit that carried more than one write (writers are concurrent) is
/// followed by that wait before the next batch is taken, so that each commit carries more writes: a
/// commit's own cost (a round trip, a transaction, its statements) is then shared by more of them.
/// A write that commits alone never waits, so one writer at a time sees no added latency.</para>
/// <para>A caller's cancellation is honoured until its write is taken into a batch; after that the
/// write is sent and the caller learns its outcome.</para>
/// <para>Used by <see cref="Postgres.PostgresWriteBatcher"/> (one <c>NpgsqlBatch</c> per commit) and
/// <see cref="Sqlite.SqliteDatabase"/> (one <c>BEGIN IMMEDIATE … COMMIT</c>, a savepoint per write).</para>
/// </remarks>
/// <param name="commit">
/// Writes a batch and completes every write in it. Should it throw, every write of the batch not yet
/// completed fails with that exception.
/// </param>
/// <param name="maxBatchSize">Most writes in one batch.</param>
/// <param name="gatherWindow">How long the flusher waits after a commit of more than one write before it takes the next batch (zero: never).</param>
/// <param name="time">
/// The clock the gather window is timed with: by default <see cref="PreciseTimeProvider"/>, because
/// .NET's own timers round a wait of 1 ms up to the kernel's 4 ms tick on Linux (3.7 ms at the median).
/// </param>
internal sealed class GroupCommitQueue<TWrite>(Func<List<TWrite>, Task> commit, int maxBatchSize, TimeSpan gatherWindow = default, TimeProvider? time = null)
    where TWrite : GroupCommitWrite
{
    private readonly Lock _gate = new();
    private readonly Queue<TWrite> _pending = new();

    /// <summary>
    /// The batch being committed, reused: only the one running flusher touches it, and it empties it
    /// after each commit, so the next batch (of this flusher or the next one) starts empty. Under light
    /// load nearly every write is a batch of its own, and a new list for each cost an array of 64
    /// references per write.
    /// </summary>
    private readonly List<TWrite> _batch = new(Math.Min(maxBatchSize, 64));
    private bool _flushing;
    private long _commits;
    private long _writes;

    /// <summary>Commits so far (batches, and any write retried alone), for measurement.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Writes taken into batches so far.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Counts a commit made outside a batch's own (a write retried alone).</summary>
    public void CountCommit() => Interlocked.Increment(ref _commits);

    /// <summary>Queues <paramref name="write"/>; it completes after its commit (or when cancelled before it is taken).</summary>
    public void Enqueue(TWrite write)
    {
        write.CancellationToken.ThrowIfCancellationRequested();
        write.ListenForCancellation();

        bool start;
        lock (_gate)
        {
            _pending.Enqueue(write);
            start = !_flushing;
            _flushing = true;
        }

        if (start)
        {
            // On the thread pool, never on the caller's (a grain's) task scheduler.
            _ = Task.Run(FlushLoopAsync, CancellationToken.None);
        }
    }

    private async Task FlushLoopAsync()
    {
        var gather = false;
        while (true)
        {
            if (gather)
            {
                await Task.Delay(gatherWindow, time ?? PreciseTimeProvider.Instance).ConfigureAwait(false);
            }

            var batch = _batch;
            lock (_gate)
            {
                while (batch.Count < maxBatchSize && _pending.TryDequeue(out var write))
                {
                    if (write.TryTake())
                    {
                        batch.Add(write);
                    }
                }

                if (batch.Count == 0 && _pending.Count == 0)
                {
                    _flushing = false;
                    return;
                }
            }

            if (batch.Count == 0)
            {
                continue;
            }

            Interlocked.Increment(ref _commits);
            Interlocked.Add(ref _writes, batch.Count);
            gather = batch.Count > 1 && gatherWindow > TimeSpan.Zero;
            try
            {
                await commit(batch).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                foreach (var write in batch)
                {
                    write.Fail(exception);
                }
            }

            batch.Clear();
        }
    }
}

/// <summary>One write waiting in a <see cref="GroupCommitQueue{TWrite}"/>: its caller's cancellation and how it completes.</summary>
internal abstract class GroupCommitWrite(CancellationToken cancellationToken)
{
    /// <summary>0 waiting, 1 taken into a batch (it will be sent), 2 cancelled (it never will).</summary>
    private int _state;

    private CancellationTokenRegistration _registration;

    /// <summary>The caller's token: it cancels the write only until a batch takes it.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Fails the write (no effect once it has completed).</summary>
    public abstract void Fail(Exception exception);

    /// <summary>Cancels the caller's task (no effect once it has completed).</summary>
    protected abstract void Cancel(CancellationToken cancellationToken);

    /// <summary>Cancels the write when its caller cancels, unless a batch has taken it by then.</summary>
    internal void ListenForCancellation()
    {
        if (CancellationToken.CanBeCanceled)
        {
            _registration = CancellationToken.Register(static state => ((GroupCommitWrite)state!).TryCancel(), this);
        }
    }

    /// <summary>Claims the write for a batch unless its caller cancelled it first.</summary>
    internal bool TryTake()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            return false;
        }

        _registration.Dispose();
        return true;
    }

    private void TryCancel()
    {
        if (Interlocked.CompareExchange(ref _state, 2, 0) == 0)
        {
            Cancel(CancellationToken);
        }
    }
}
