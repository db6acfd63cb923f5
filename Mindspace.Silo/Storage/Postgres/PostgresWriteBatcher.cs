using Npgsql;
using NpgsqlTypes;

namespace Mindspace.Silo.Storage.Postgres;

/// <summary>
/// Group commit for the record store's single-row writes (put, add, remove). Writes are queued; one
/// flusher sends everything pending as one <see cref="NpgsqlBatch"/> (one round trip, one implicit
/// transaction, so one commit) and completes each caller only after that commit, with its own
/// command's rows affected.
/// </summary>
/// <remarks>
/// <para>No added latency when idle: the first write starts the flusher at once and goes alone; only
/// writes arriving while a commit is running wait for the next one, which takes all of them (at most
/// <see cref="MaxBatchSize"/>).</para>
/// <para>If PostgreSQL rejects a batch (a constraint, a bad value: the whole implicit transaction rolled
/// back, nothing was written), each of its writes is retried alone, so a bad write fails only its own
/// caller. Any other failure (the connection broke) fails every caller of the batch with it: whether
/// the commit happened is unknown, exactly as for a single command.</para>
/// <para>A caller's cancellation is honoured until its write is taken into a batch; after that the
/// write is sent and the caller learns its outcome.</para>
/// </remarks>
internal sealed class PostgresWriteBatcher(NpgsqlDataSource dataSource, int maxBatchSize = PostgresWriteBatcher.MaxBatchSize)
{
    /// <summary>Most writes in one batch (3 parameters each).</summary>
    public const int MaxBatchSize = 256;

    private readonly object _gate = new();
    private readonly Queue<PendingWrite> _pending = new();
    private bool _flushing;
    private long _batches;
    private long _writes;

    /// <summary>Batches sent so far (each one commit), for measurement.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Writes sent so far.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <returns>How many rows the statement wrote (0 or 1).</returns>
    public Task<int> WriteAsync(string sql, string owner, string key, string? payload, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var write = new PendingWrite(sql, owner, key, payload, cancellationToken);
        if (cancellationToken.CanBeCanceled)
        {
            write.Registration = cancellationToken.Register(static state => ((PendingWrite)state!).TryCancel(), write);
        }

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

        return write.Completion.Task;
    }

    private async Task FlushLoopAsync()
    {
        var batch = new List<PendingWrite>(maxBatchSize);
        while (true)
        {
            batch.Clear();
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

            if (batch.Count > 0)
            {
                await SendAsync(batch).ConfigureAwait(false);
            }
        }
    }

    private async Task SendAsync(List<PendingWrite> writes)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _writes, writes.Count);
        try
        {
            var affected = await ExecuteAsync(writes).ConfigureAwait(false);
            for (var i = 0; i < writes.Count; i++)
            {
                writes[i].Completion.TrySetResult(affected[i]);
            }
        }
        catch (PostgresException) when (writes.Count > 1)
        {
            // The batch's transaction rolled back: nothing of it was written. Each write again, alone.
            foreach (var write in writes)
            {
                Interlocked.Increment(ref _batches);
                try
                {
                    write.Completion.TrySetResult((await ExecuteAsync([write]).ConfigureAwait(false))[0]);
                }
                catch (Exception exception)
                {
                    write.Completion.TrySetException(exception);
                }
            }
        }
        catch (Exception exception)
        {
            foreach (var write in writes)
            {
                write.Completion.TrySetException(exception);
            }
        }
    }

    /// <summary>Sends <paramref name="writes"/> in one round trip; without an explicit transaction the batch is one implicit transaction.</summary>
    private async Task<int[]> ExecuteAsync(IReadOnlyList<PendingWrite> writes)
    {
        await using var batch = dataSource.CreateBatch();
        foreach (var write in writes)
        {
            var command = new NpgsqlBatchCommand(write.Sql);
            command.Parameters.Add(new NpgsqlParameter<string>("owner", NpgsqlDbType.Text) { TypedValue = write.Owner });
            command.Parameters.Add(new NpgsqlParameter<string>("key", NpgsqlDbType.Text) { TypedValue = write.Key });
            if (write.Payload is not null)
            {
                command.Parameters.Add(new NpgsqlParameter<string>("payload", NpgsqlDbType.Text) { TypedValue = write.Payload });
            }

            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        var affected = new int[writes.Count];
        for (var i = 0; i < writes.Count; i++)
        {
            affected[i] = batch.BatchCommands[i].RecordsAffected;
        }

        return affected;
    }

    private sealed class PendingWrite(string sql, string owner, string key, string? payload, CancellationToken cancellationToken)
    {
        public string Sql { get; } = sql;

        public string Owner { get; } = owner;

        public string Key { get; } = key;

        public string? Payload { get; } = payload;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public TaskCompletionSource<int> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }

        /// <summary>0 waiting, 1 taken into a batch (it will be sent), 2 cancelled (it never will).</summary>
        private int _state;

        /// <summary>Claims the write for a batch unless its caller cancelled it first.</summary>
        public bool TryTake()
        {
            if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
            {
                return false;
            }

            Registration.Dispose();
            return true;
        }

        /// <summary>Cancels the write unless a batch has already taken it.</summary>
        public void TryCancel()
        {
            if (Interlocked.CompareExchange(ref _state, 2, 0) == 0)
            {
                Completion.TrySetCanceled(CancellationToken);
            }
        }
    }
}
