using System.Collections.Concurrent;
using System.Text;
using Mindspace.Grains.Records;
using Npgsql;
using NpgsqlTypes;

namespace Mindspace.Silo.Storage.Postgres;

/// <summary>
/// Record collections in PostgreSQL, one table per collection, one row per record. Keys are
/// <c>COLLATE "C"</c>, so the primary key (owner, record_key) orders them by their UTF-8 bytes: a
/// put is one index insert and every query is a range scan of that index, whatever the
/// collection's size. Each call is one statement (auto-prepared when the data source allows it);
/// single-row writes (put, add, remove) from concurrent callers share commits (<see cref="PostgresWriteBatcher"/>).
/// </summary>
/// <remarks>
/// <para>Writes go in two lanes, each its own group commit: most tables' writes are sent with the next
/// commit at once, because a person is usually waiting on them (a check-in); the writes of tables
/// declared with <see cref="GatherWrites"/> (fan-out, such as notification inboxes) gather for
/// <see cref="PostgresWriteBatcher.GatherWindow"/> after a commit of several, so that each commit
/// carries more of them. Every write of a table goes in the same lane, in order.</para>
/// <para>Payloads are stored as <c>text</c>, not <c>jsonb</c>: text gives back the exact bytes that
/// were put (jsonb reorders and deduplicates keys and rewrites numbers, which breaks System.Text.Json
/// polymorphism, whose <c>$type</c> must come first), costs no parsing on write, and is still
/// readable and queryable (<c>payload::jsonb -&gt;&gt; 'field'</c>).</para>
/// </remarks>
public sealed class PostgresRecordStore(NpgsqlDataSource dataSource) : IRecordStore
{
    /// <summary>Single-row writes from every grain of this process, grouped into shared commits as soon as they come.</summary>
    private readonly PostgresWriteBatcher _writes = new(dataSource, gatherWindow: TimeSpan.Zero);

    /// <summary>The writes of the tables in <see cref="_gatheredTables"/>, whose commits gather for a moment.</summary>
    private readonly PostgresWriteBatcher _gatheredWrites = new(dataSource, PostgresWriteBatcher.GatherWindow);

    /// <summary>Tables declared by <see cref="GatherWrites"/> (the value is unused).</summary>
    private readonly ConcurrentDictionary<string, bool> _gatheredTables = new(StringComparer.Ordinal);

    /// <summary>
    /// Advisory lock serializing record table creation across processes ("MSRECTBL" in ASCII):
    /// concurrent <c>CREATE TABLE IF NOT EXISTS</c> of one name can otherwise fail on the catalog's
    /// unique index (<c>pg_type_typname_nsp_index</c>).
    /// </summary>
    public const long CreateTableLockKey = 0x4D53_5245_4354_424C;

    /// <summary>Commits (batches) the write path has sent, the writes in them and the statements that carried them: for measurement.</summary>
    public (long Commits, long Writes, long Statements) WriteCounts
        => (_writes.Batches + _gatheredWrites.Batches, _writes.Writes + _gatheredWrites.Writes, _writes.Statements + _gatheredWrites.Statements);

    /// <summary>The part of <see cref="WriteCounts"/> that went in the gathering lane.</summary>
    public (long Commits, long Writes, long Statements) GatheredWriteCounts
        => (_gatheredWrites.Batches, _gatheredWrites.Writes, _gatheredWrites.Statements);

    public void GatherWrites(string table) => _gatheredTables.TryAdd(RecordTables.Require(table), true);

    /// <summary>Tables known to exist (or being created) in this database, by name.</summary>
    private readonly ConcurrentDictionary<string, Lazy<Task<TableSql>>> _tables = new(StringComparer.Ordinal);

    public Task PutAsync(string table, string owner, string key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        => WriteAsync(table, owner, key, payload, sql => sql.Put, cancellationToken);

    public async Task<bool> AddAsync(string table, string owner, string key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        => await WriteAsync(table, owner, key, payload, sql => sql.Add, cancellationToken) > 0;

    public async Task<byte[]?> GetAsync(string table, string owner, string key, CancellationToken cancellationToken)
    {
        RecordTables.Require(table);
        RecordQuerySql.RequireText(owner, nameof(owner));
        RecordQuerySql.RequireText(key, nameof(key));
        var sql = await TableAsync(table, cancellationToken);
        await using var command = Command(sql.Get, owner, key);
        return await command.ExecuteScalarAsync(cancellationToken) is string payload ? Encoding.UTF8.GetBytes(payload) : null;
    }

    public async Task<bool> RemoveAsync(string table, string owner, string key, CancellationToken cancellationToken)
    {
        RecordTables.Require(table);
        RecordQuerySql.RequireText(owner, nameof(owner));
        RecordQuerySql.RequireText(key, nameof(key));
        var sql = await TableAsync(table, cancellationToken);
        return await LaneOf(table).WriteAsync(sql.Remove, owner, key, payload: null, cancellationToken) > 0;
    }

    public async Task<IReadOnlyList<StoredRecord>> QueryAsync(string table, string owner, RecordQuery query, CancellationToken cancellationToken)
    {
        RecordTables.Require(table);
        RecordQuerySql.RequireText(owner, nameof(owner));
        RecordQuerySql.Validate(query);
        var sql = await TableAsync(table, cancellationToken);
        await using var command = dataSource.CreateCommand();
        RecordQuerySql.Apply(command, sql.QuotedTable, owner, query);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<StoredRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new StoredRecord(reader.GetString(0), Encoding.UTF8.GetBytes(reader.GetString(1))));
        }

        return records;
    }

    public async Task<long> CountAsync(string table, string owner, CancellationToken cancellationToken)
    {
        RecordTables.Require(table);
        RecordQuerySql.RequireText(owner, nameof(owner));
        var sql = await TableAsync(table, cancellationToken);
        await using var command = Command(sql.Count, owner);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<long> ClearAsync(string table, string owner, CancellationToken cancellationToken)
    {
        RecordTables.Require(table);
        RecordQuerySql.RequireText(owner, nameof(owner));
        var sql = await TableAsync(table, cancellationToken);
        await using var command = Command(sql.Clear, owner);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<string>> FindOwnersAsync(string table, string payloadContains, string? afterOwner, int limit, CancellationToken cancellationToken)
    {
        RecordTables.Require(table);
        var sql = await TableAsync(table, cancellationToken);
        await using var command = dataSource.CreateCommand();
        RecordQuerySql.ApplyFindOwners(command, sql.QuotedTable, payloadContains, afterOwner, limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var owners = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            owners.Add(reader.GetString(0));
        }

        return owners;
    }

    /// <summary>
    /// The statements of <paramref name="table"/>, once the table exists. Its creation runs once per
    /// store (not under any caller's token: others may be waiting for it) and is retried by the next
    /// call if it failed.
    /// </summary>
    private Task<TableSql> TableAsync(string table, CancellationToken cancellationToken)
    {
        var creation = _tables.GetOrAdd(table, name => new Lazy<Task<TableSql>>(() => CreateTableAsync(name))).Value;
        return creation.IsCompletedSuccessfully ? creation : creation.WaitAsync(cancellationToken);
    }

    private async Task<TableSql> CreateTableAsync(string table)
    {
        var sql = new TableSql(table);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var takeLock = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
            {
                takeLock.Parameters.Add(new NpgsqlParameter<long>("key", CreateTableLockKey));
                await takeLock.ExecuteNonQueryAsync();
            }

            await using (var create = new NpgsqlCommand(sql.Create, connection, transaction))
            {
                await create.ExecuteNonQueryAsync();
            }

            // Resolved as the statements resolve the name (search_path), so it checks the table they will use.
            await using (var columns = new NpgsqlCommand(
                "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = to_regclass(@table) AND attnum > 0 AND NOT attisdropped",
                connection,
                transaction))
            {
                columns.Parameters.Add(new NpgsqlParameter<string>("table", NpgsqlDbType.Text) { TypedValue = sql.QuotedTable });
                RecordQuerySql.RequireRecordColumns(table, await columns.ExecuteScalarAsync() as string);
            }

            await transaction.CommitAsync();
        }
        catch
        {
            _tables.TryRemove(table, out _); // the next call tries again
            throw;
        }

        return sql;
    }

    /// <returns>How many rows the statement wrote (0 or 1).</returns>
    private async Task<int> WriteAsync(string table, string owner, string key, ReadOnlyMemory<byte> payload, Func<TableSql, RecordWriteStatement> statement, CancellationToken cancellationToken)
    {
        RecordTables.Require(table);
        RecordQuerySql.RequireText(owner, nameof(owner));
        RecordQuerySql.RequireText(key, nameof(key));
        var text = RecordQuerySql.PayloadText(payload);
        var sql = await TableAsync(table, cancellationToken);
        return await LaneOf(table).WriteAsync(statement(sql), owner, key, text, cancellationToken);
    }

    private PostgresWriteBatcher LaneOf(string table) => _gatheredTables.ContainsKey(table) ? _gatheredWrites : _writes;

    private NpgsqlCommand Command(string sql, string owner, string? key = null)
    {
        var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string>("owner", NpgsqlDbType.Text) { TypedValue = owner });
        if (key is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string>("key", NpgsqlDbType.Text) { TypedValue = key });
        }

        return command;
    }

    /// <summary>The SQL of one record table; its name was checked by <see cref="RecordQuerySql.QuotedTable"/>.</summary>
    private sealed class TableSql
    {
        public TableSql(string table)
        {
            QuotedTable = RecordQuerySql.QuotedTable(table);
            Create = $"""
                CREATE TABLE IF NOT EXISTS {QuotedTable} (
                    owner      text COLLATE "C" NOT NULL,
                    record_key text COLLATE "C" NOT NULL,
                    payload    text NOT NULL,
                    updated_at timestamptz NOT NULL,
                    PRIMARY KEY (owner, record_key)
                )
                """;
            Put = RecordWriteStatement.Put(QuotedTable);
            Add = RecordWriteStatement.Add(QuotedTable);
            Remove = RecordWriteStatement.Remove(QuotedTable);
            Get = $"SELECT payload FROM {QuotedTable} WHERE owner = @owner AND record_key = @key";
            Count = $"SELECT count(*) FROM {QuotedTable} WHERE owner = @owner";
            Clear = $"DELETE FROM {QuotedTable} WHERE owner = @owner";
        }

        public string QuotedTable { get; }

        public string Create { get; }

        public RecordWriteStatement Put { get; }

        public RecordWriteStatement Add { get; }

        public string Get { get; }

        public RecordWriteStatement Remove { get; }

        public string Count { get; }

        public string Clear { get; }
    }
}
