using System.Runtime.InteropServices;
using Npgsql;
using NpgsqlTypes;

namespace Mindspace.Silo.Storage.Postgres;

/// <summary>
/// Group commit for the record store's single-row writes (put, add, remove). Writes are queued
/// (<see cref="GroupCommitQueue{TWrite}"/>); one flusher sends everything pending as one
/// <see cref="NpgsqlBatch"/> (one round trip, one implicit transaction, so one commit) and completes
/// each caller only after that commit, with its own rows affected.
/// </summary>
/// <remarks>
/// <para>No added latency when idle: the first write starts the flusher at once and goes alone; only
/// writes arriving while a commit is running wait for the next one, which takes all of them (at most
/// <see cref="MaxBatchSize"/>). With a gather window (<see cref="GatherWindow"/> for fan-out writes,
/// none for the rest: <see cref="PostgresRecordStore"/>), after a commit of several writes the flusher
/// gathers for that long before the next one.</para>
/// <para>Writes of one kind to one table go as one statement over arrays (<see cref="RecordWriteStatement"/>),
/// so PostgreSQL executes a few statements per commit, not one per write. A key written more than once
/// in a batch gets its n-th write in the n-th round of statements, the rounds in order: each write of a
/// key sees the ones queued before it, exactly as if they were sent one by one (put then put: the last
/// wins; add then add: only the first inserts; remove after put: removed).</para>
/// <para>If PostgreSQL rejects a batch (a constraint, a bad value: the whole implicit transaction rolled
/// back, nothing was written), each of its writes is retried alone, so a bad write fails only its own
/// caller. Any other failure (the connection broke) fails every caller of the batch with it: whether
/// the commit happened is unknown, exactly as for a single command.</para>
/// <para>A caller's cancellation is honoured until its write is taken into a batch; after that the
/// write is sent and the caller learns its outcome.</para>
/// </remarks>
internal sealed class PostgresWriteBatcher
{
    /// <summary>Most writes in one batch.</summary>
    public const int MaxBatchSize = 256;

    /// <summary>
    /// The gather window of the fan-out lane (<see cref="PostgresRecordStore.GatherWrites"/>): after a
    /// commit of several writes, how long the flusher gathers more before the next one
    /// (<see cref="GroupCommitQueue{TWrite}"/>). In bench/cluster's inbox appends at 5,000/s, gathering
    /// took the rows per statement from 2.7 to 11, and PostgreSQL's CPU per append from 61 to 41 µs; with
    /// no window, the appends' SignalR p99 was 55–215 ms against 28–56 ms. Writes someone waits on get no
    /// window: at 3,400 check-ins/s a 1 ms window took the HTTP write's p50 from 2.4 to 4.8–6.1 ms and its
    /// p99 from 14.5–15.4 to 23–24 ms (docs/performance.md). The queue times it precisely
    /// (<see cref="PreciseTimeProvider"/>): .NET's own timers round 1 ms up to 3.7 ms at the median on Linux.
    /// </summary>
    public static readonly TimeSpan GatherWindow = TimeSpan.FromMilliseconds(1);

    private readonly NpgsqlDataSource _dataSource;
    private readonly GroupCommitQueue<PendingWrite> _queue;
    private long _statements;

    /// <param name="gatherWindow">How long the flusher waits after a commit of several writes before the next (zero: never).</param>
    public PostgresWriteBatcher(NpgsqlDataSource dataSource, TimeSpan gatherWindow, int maxBatchSize = MaxBatchSize)
    {
        _dataSource = dataSource;
        _queue = new GroupCommitQueue<PendingWrite>(SendAsync, maxBatchSize, gatherWindow);
    }

    /// <summary>Batches sent so far (each one commit), for measurement.</summary>
    public long Batches => _queue.Commits;

    /// <summary>Writes sent so far.</summary>
    public long Writes => _queue.Writes;

    /// <summary>Statements sent so far (retries included), for measurement.</summary>
    public long Statements => Interlocked.Read(ref _statements);

    /// <param name="payload">The payload for a put or an add; null for a remove.</param>
    /// <returns>How many rows the write wrote (0 or 1).</returns>
    public Task<int> WriteAsync(RecordWriteStatement statement, string owner, string key, string? payload, CancellationToken cancellationToken)
    {
        var write = new PendingWrite(statement, owner, key, payload, cancellationToken);
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

    /// <summary>
    /// Sends <paramref name="writes"/> in one round trip; without an explicit transaction the batch is
    /// one implicit transaction. Returns each write's rows affected, once the commit is acknowledged.
    /// </summary>
    private async Task<int[]> ExecuteAsync(List<PendingWrite> writes)
    {
        var statements = Group(writes);
        Interlocked.Add(ref _statements, statements.Count);
        await using var batch = _dataSource.CreateBatch();
        foreach (var statement in statements)
        {
            batch.BatchCommands.Add(statement.Command(writes));
        }

        var affected = new int[writes.Count];
        await using (var reader = await batch.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false))
        {
            foreach (var statement in statements)
            {
                while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
                {
                    affected[statement.IndexOf(writes, reader.GetString(0), reader.GetString(1))] = 1;
                }

                // To the next statement's rows; after the last, to the end of the batch: its commit.
                await reader.NextResultAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        return affected;
    }

    /// <summary>
    /// The statements that send <paramref name="writes"/>: one per (round, kind and table), where a
    /// write's round is how many writes of its key come before it in the batch; rounds in order.
    /// </summary>
    private static List<GroupedStatement> Group(List<PendingWrite> writes)
    {
        if (writes.Count == 1)
        {
            var alone = new GroupedStatement(writes[0].Statement, 0);
            alone.Add(0);
            return [alone];
        }

        var earlierWrites = new Dictionary<(string Table, string Owner, string Key), int>(writes.Count);
        var byRound = new List<Dictionary<RecordWriteStatement, GroupedStatement>>();
        var ordered = new List<GroupedStatement>();
        for (var i = 0; i < writes.Count; i++)
        {
            var write = writes[i];
            ref var earlier = ref CollectionsMarshal.GetValueRefOrAddDefault(earlierWrites, (write.Statement.QuotedTable, write.Owner, write.Key), out _);
            var round = earlier++;
            if (round == byRound.Count)
            {
                byRound.Add([]);
            }

            if (!byRound[round].TryGetValue(write.Statement, out var statement))
            {
                statement = new GroupedStatement(write.Statement, round);
                byRound[round].Add(write.Statement, statement);
                ordered.Add(statement);
            }

            statement.Add(i);
        }

        // Stable: within a round, statements keep the order their first writes came in.
        return byRound.Count == 1 ? ordered : [.. ordered.OrderBy(statement => statement.Round)];
    }

    /// <summary>One statement of a batch: which of the batch's writes it carries (no key twice).</summary>
    private sealed class GroupedStatement(RecordWriteStatement statement, int round)
    {
        private readonly List<int> _writes = [];
        private Dictionary<(string Owner, string Key), int>? _byKey;

        public int Round { get; } = round;

        public void Add(int write) => _writes.Add(write);

        public NpgsqlBatchCommand Command(List<PendingWrite> writes)
        {
            var owners = new string[_writes.Count];
            var keys = new string[_writes.Count];
            var payloads = statement.TakesPayload ? new string[_writes.Count] : null;
            for (var i = 0; i < _writes.Count; i++)
            {
                var write = writes[_writes[i]];
                owners[i] = write.Owner;
                keys[i] = write.Key;
                if (payloads is not null)
                {
                    payloads[i] = write.Payload ?? throw new InvalidOperationException("A put or an add needs a payload.");
                }
            }

            var command = new NpgsqlBatchCommand(statement.Sql);
            command.Parameters.Add(TextArray(owners));
            command.Parameters.Add(TextArray(keys));
            if (payloads is not null)
            {
                command.Parameters.Add(TextArray(payloads));
            }

            return command;
        }

        /// <summary>The batch index of this statement's write of a key (one at most: no key twice).</summary>
        public int IndexOf(List<PendingWrite> writes, string owner, string key)
        {
            if (_writes.Count == 1)
            {
                return _writes[0];
            }

            if (_byKey is null)
            {
                _byKey = new Dictionary<(string, string), int>(_writes.Count);
                foreach (var index in _writes)
                {
                    _byKey.Add((writes[index].Owner, writes[index].Key), index);
                }
            }

            return _byKey[(owner, key)];
        }

        /// <summary>Positional (no name), so Npgsql does not parse the statement for parameter names.</summary>
        private static NpgsqlParameter<string[]> TextArray(string[] values) =>
            new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = values };
    }

    private sealed class PendingWrite(RecordWriteStatement statement, string owner, string key, string? payload, CancellationToken cancellationToken)
        : GroupCommitWrite(cancellationToken)
    {
        public RecordWriteStatement Statement { get; } = statement;

        public string Owner { get; } = owner;

        public string Key { get; } = key;

        public string? Payload { get; } = payload;

        public TaskCompletionSource<int> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Fail(Exception exception) => Completion.TrySetException(exception);

        protected override void Cancel(CancellationToken cancellationToken) => Completion.TrySetCanceled(cancellationToken);
    }
}
