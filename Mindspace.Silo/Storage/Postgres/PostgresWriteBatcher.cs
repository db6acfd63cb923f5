using Npgsql;
using NpgsqlTypes;

namespace Mindspace.Silo.Storage.Postgres;

/// <summary>
/// Group commit for the record store's single-row writes (put, add, remove). Writes are queued
/// (<see cref="GroupCommitQueue{TWrite}"/>); one flusher sends everything pending as one
/// <see cref="NpgsqlBatch"/> (one round trip, one implicit transaction, so one commit) and completes
/// each caller only after that commit, with its own command's rows affected.
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
internal sealed class PostgresWriteBatcher
{
    /// <summary>Most writes in one batch (3 parameters each).</summary>
    public const int MaxBatchSize = 256;

    private readonly NpgsqlDataSource _dataSource;
    private readonly GroupCommitQueue<PendingWrite> _queue;

    public PostgresWriteBatcher(NpgsqlDataSource dataSource, int maxBatchSize = MaxBatchSize)
    {
        _dataSource = dataSource;
        _queue = new GroupCommitQueue<PendingWrite>(SendAsync, maxBatchSize);
    }

    /// <summary>Batches sent so far (each one commit), for measurement.</summary>
    public long Batches => _queue.Commits;

    /// <summary>Writes sent so far.</summary>
    public long Writes => _queue.Writes;

    /// <returns>How many rows the statement wrote (0 or 1).</returns>
    public Task<int> WriteAsync(string sql, string owner, string key, string? payload, CancellationToken cancellationToken)
    {
        var write = new PendingWrite(sql, owner, key, payload, cancellationToken);
        _queue.Enqueue(write);
        return write.Completion.Task;
    }

    private async Task SendAsync(List<PendingWrite> writes)
    {
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
                _queue.CountCommit();
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
    }

    /// <summary>Sends <paramref name="writes"/> in one round trip; without an explicit transaction the batch is one implicit transaction.</summary>
    private async Task<int[]> ExecuteAsync(IReadOnlyList<PendingWrite> writes)
    {
        await using var batch = _dataSource.CreateBatch();
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
        : GroupCommitWrite(cancellationToken)
    {
        public string Sql { get; } = sql;

        public string Owner { get; } = owner;

        public string Key { get; } = key;

        public string? Payload { get; } = payload;

        public TaskCompletionSource<int> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Fail(Exception exception) => Completion.TrySetException(exception);

        protected override void Cancel(CancellationToken cancellationToken) => Completion.TrySetCanceled(cancellationToken);
    }
}
