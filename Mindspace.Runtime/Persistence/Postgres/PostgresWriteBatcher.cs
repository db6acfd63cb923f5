using System.Collections.Concurrent;
using Npgsql;

namespace Mindspace.Runtime.Persistence.Postgres;

/// <summary>
/// Group commit for single-row writes. Writes that arrive while earlier ones are being committed
/// are sent together as one batch: one round trip and one commit (an implicit transaction) for all
/// of them, instead of one of each per write. A write's task completes only after the commit that
/// carried it, so "acknowledged" still means "durable". Nothing waits for company: a write that
/// finds a free slot goes out at once, so batches only form when the database is already busy.
/// </summary>
/// <remarks>
/// Every statement must be unable to fail for reasons of its own in normal use (upserts,
/// compare-and-swap updates that report zero rows, inserts with <c>ON CONFLICT DO NOTHING</c>):
/// a failing statement aborts its whole batch. Should a batch fail anyway, each of its writes is
/// retried alone, so only the faulty one reports the error.
/// </remarks>
/// <param name="returnsValue">
/// False: each write completes with the number of rows it changed. True: every statement given
/// returns exactly one row of one bigint (<c>RETURNING …</c>), and each write completes with it.
/// </param>
internal sealed class PostgresWriteBatcher(NpgsqlDataSource dataSource, bool returnsValue = false)
{
    /// <summary>Most writes in one batch; keeps one commit's work and message size bounded.</summary>
    public const int MaxBatchSize = 256;

    /// <summary>Batches in flight at once; more connections than this buy little on a commit-bound database.</summary>
    public const int MaxConcurrentBatches = 4;

    private readonly ConcurrentQueue<PendingWrite> _pending = new();
    private int _running;

    /// <summary>Queues one statement; completes with the rows it changed (or the value it returned) once its batch has committed.</summary>
    public Task<long> ExecuteAsync(NpgsqlBatchCommand statement)
    {
        var write = new PendingWrite(statement);
        _pending.Enqueue(write);
        StartBatchIfIdleSlot();
        return write.Completion.Task;
    }

    private void StartBatchIfIdleSlot()
    {
        while (!_pending.IsEmpty)
        {
            var running = Volatile.Read(ref _running);
            if (running >= MaxConcurrentBatches)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _running, running + 1, running) == running)
            {
                _ = Task.Run(DrainAsync);
                return;
            }
        }
    }

    private async Task DrainAsync()
    {
        try
        {
            var batch = new List<PendingWrite>(MaxBatchSize);
            while (true)
            {
                while (batch.Count < MaxBatchSize && _pending.TryDequeue(out var write))
                {
                    batch.Add(write);
                }

                if (batch.Count == 0)
                {
                    return;
                }

                await CommitAsync(batch).ConfigureAwait(false);
                batch.Clear();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _running);
            StartBatchIfIdleSlot(); // a write queued just as this runner decided to stop
        }
    }

    private async Task CommitAsync(List<PendingWrite> writes)
    {
        try
        {
            await ExecuteBatchAsync(writes, retry: false).ConfigureAwait(false);
        }
        catch (Exception) when (writes.Count > 1)
        {
            foreach (var write in writes)
            {
                try
                {
                    await ExecuteBatchAsync([write], retry: true).ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    write.Completion.TrySetException(exception);
                }
            }
        }
        catch (Exception exception)
        {
            writes[0].Completion.TrySetException(exception);
        }
    }

    /// <summary>One round trip: the statements and, after the last, the implicit transaction's commit.</summary>
    private async Task ExecuteBatchAsync(List<PendingWrite> writes, bool retry)
    {
        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var write in writes)
        {
            batch.BatchCommands.Add(retry ? write.Fresh() : write.Statement);
        }

        if (!returnsValue)
        {
            await batch.ExecuteNonQueryAsync().ConfigureAwait(false);
            for (var i = 0; i < writes.Count; i++)
            {
                writes[i].Completion.TrySetResult(batch.BatchCommands[i].RecordsAffected);
            }

            return;
        }

        // Read every value before completing any write: the implicit transaction commits only once all results are read.
        var values = new long[writes.Count];
        await using (var reader = await batch.ExecuteReaderAsync().ConfigureAwait(false))
        {
            for (var i = 0; i < writes.Count; i++)
            {
                if (!await reader.ReadAsync().ConfigureAwait(false))
                {
                    throw new InvalidOperationException("A batched statement that must return a value returned no row.");
                }

                values[i] = reader.GetInt64(0);
                await reader.NextResultAsync().ConfigureAwait(false);
            }
        }

        for (var i = 0; i < writes.Count; i++)
        {
            writes[i].Completion.TrySetResult(values[i]);
        }
    }

    private sealed class PendingWrite(NpgsqlBatchCommand statement)
    {
        public TaskCompletionSource<long> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public NpgsqlBatchCommand Statement => statement;

        /// <summary>The statement, detached from any batch it was in before (a retry after a failed batch).</summary>
        public NpgsqlBatchCommand Fresh()
        {
            var copy = new NpgsqlBatchCommand(statement.CommandText);
            foreach (NpgsqlParameter parameter in statement.Parameters)
            {
                copy.Parameters.Add(parameter.Clone());
            }

            return copy;
        }
    }
}
