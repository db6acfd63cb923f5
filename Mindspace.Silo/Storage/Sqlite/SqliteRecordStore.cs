using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Mindspace.Grains.Records;

namespace Mindspace.Silo.Storage.Sqlite;

/// <summary>
/// Record collections in SQLite, one STRICT table per collection, one row per record. The primary
/// key (owner, record_key) uses the BINARY collation, which compares the UTF-8 bytes of keys: a put
/// is one index insert and every query is a range scan of that index, whatever the collection's size.
/// </summary>
/// <remarks>
/// Payloads are stored as TEXT (they are UTF-8 JSON), so the rows stay readable with
/// <c>sqlite3</c> and <c>json_extract</c>. <c>updated_at</c> is ISO 8601 UTC with milliseconds.
/// Writes are serialized by <see cref="SqliteDatabase"/>.
/// </remarks>
public sealed class SqliteRecordStore(SqliteDatabase database) : IRecordStore
{
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
        var rows = await database.QueryAsync(
            session =>
            {
                var command = Command(session, sql.Get, owner);
                command.Parameters.AddWithValue("@key", key);
                return command;
            },
            reader => ReadPayload(reader, 0),
            cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<bool> RemoveAsync(string table, string owner, string key, CancellationToken cancellationToken)
    {
        RecordTables.Require(table);
        RecordQuerySql.RequireText(owner, nameof(owner));
        RecordQuerySql.RequireText(key, nameof(key));
        var sql = await TableAsync(table, cancellationToken);
        var removed = await database.ExecuteAsync(
            session =>
            {
                var command = Command(session, sql.Remove, owner);
                command.Parameters.AddWithValue("@key", key);
                return command;
            },
            cancellationToken);
        return removed > 0;
    }

    public async Task<IReadOnlyList<StoredRecord>> QueryAsync(string table, string owner, RecordQuery query, CancellationToken cancellationToken)
    {
        RecordTables.Require(table);
        RecordQuerySql.RequireText(owner, nameof(owner));
        RecordQuerySql.Validate(query);
        var sql = await TableAsync(table, cancellationToken);
        return await database.QueryAsync(
            session =>
            {
                var command = session.Statement(RecordQuerySql.SelectText(sql.QuotedTable, query));
                RecordQuerySql.Bind(command, owner, query);
                return command;
            },
            reader => new StoredRecord(reader.GetString(0), ReadPayload(reader, 1)),
            cancellationToken);
    }

    public async Task<long> CountAsync(string table, string owner, CancellationToken cancellationToken)
    {
        RecordTables.Require(table);
        RecordQuerySql.RequireText(owner, nameof(owner));
        var sql = await TableAsync(table, cancellationToken);
        return (long)(await database.ScalarAsync(session => Command(session, sql.Count, owner), cancellationToken))!;
    }

    public async Task<long> ClearAsync(string table, string owner, CancellationToken cancellationToken)
    {
        RecordTables.Require(table);
        RecordQuerySql.RequireText(owner, nameof(owner));
        var sql = await TableAsync(table, cancellationToken);
        return await database.ExecuteAsync(session => Command(session, sql.Clear, owner), cancellationToken);
    }

    public async Task<IReadOnlyList<string>> FindOwnersAsync(string table, string payloadContains, string? afterOwner, int limit, CancellationToken cancellationToken)
    {
        RecordTables.Require(table);
        var sql = await TableAsync(table, cancellationToken);
        return await database.QueryAsync(
            session =>
            {
                var command = session.Statement(RecordQuerySql.FindOwnersText(sql.QuotedTable, afterOwner is not null));
                RecordQuerySql.BindFindOwners(command, payloadContains, afterOwner, limit);
                return command;
            },
            reader => reader.GetString(0),
            cancellationToken);
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
            await database.ExecuteAsync(session => Command(session, sql.Create), CancellationToken.None);
            var columns = await database.ScalarAsync(
                session =>
                {
                    var command = Command(session, "SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info(@table) ORDER BY cid)");
                    command.Parameters.AddWithValue("@table", table);
                    return command;
                },
                CancellationToken.None);
            RecordQuerySql.RequireRecordColumns(table, columns as string);
        }
        catch
        {
            _tables.TryRemove(table, out _); // the next call tries again
            throw;
        }

        return sql;
    }

    /// <returns>How many rows the statement wrote (0 or 1).</returns>
    private async Task<int> WriteAsync(string table, string owner, string key, ReadOnlyMemory<byte> payload, Func<TableSql, string> statement, CancellationToken cancellationToken)
    {
        RecordTables.Require(table);
        RecordQuerySql.RequireText(owner, nameof(owner));
        RecordQuerySql.RequireText(key, nameof(key));
        var text = RecordQuerySql.PayloadText(payload);
        var sql = await TableAsync(table, cancellationToken);
        return await database.ExecuteAsync(
            session =>
            {
                var command = Command(session, statement(sql), owner);
                command.Parameters.AddWithValue("@key", key);
                command.Parameters.AddWithValue("@payload", text);
                return command;
            },
            cancellationToken);
    }

    private static SqliteCommand Command(SqliteSession session, string sql, string? owner = null)
    {
        var command = session.Statement(sql);
        if (owner is not null)
        {
            command.Parameters.AddWithValue("@owner", owner);
        }

        return command;
    }

    /// <summary>The UTF-8 bytes of a TEXT payload, read without going through a string.</summary>
    private static byte[] ReadPayload(SqliteDataReader reader, int ordinal) => reader.GetFieldValue<byte[]>(ordinal);

    /// <summary>The SQL of one record table; its name was checked by <see cref="RecordQuerySql.QuotedTable"/>.</summary>
    private sealed class TableSql
    {
        public TableSql(string table)
        {
            QuotedTable = RecordQuerySql.QuotedTable(table);
            Create = $"""
                CREATE TABLE IF NOT EXISTS {QuotedTable} (
                    owner      TEXT NOT NULL,
                    record_key TEXT NOT NULL,
                    payload    TEXT NOT NULL,
                    updated_at TEXT NOT NULL,
                    PRIMARY KEY (owner, record_key)
                ) STRICT
                """;
            Put = $"""
                INSERT INTO {QuotedTable} (owner, record_key, payload, updated_at)
                VALUES (@owner, @key, @payload, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                ON CONFLICT (owner, record_key) DO UPDATE SET payload = excluded.payload, updated_at = excluded.updated_at
                """;
            Add = $"""
                INSERT INTO {QuotedTable} (owner, record_key, payload, updated_at)
                VALUES (@owner, @key, @payload, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                ON CONFLICT (owner, record_key) DO NOTHING
                """;
            Get = $"SELECT payload FROM {QuotedTable} WHERE owner = @owner AND record_key = @key";
            Remove = $"DELETE FROM {QuotedTable} WHERE owner = @owner AND record_key = @key";
            Count = $"SELECT count(*) FROM {QuotedTable} WHERE owner = @owner";
            Clear = $"DELETE FROM {QuotedTable} WHERE owner = @owner";
        }

        public string QuotedTable { get; }

        public string Create { get; }

        public string Put { get; }

        public string Add { get; }

        public string Get { get; }

        public string Remove { get; }

        public string Count { get; }

        public string Clear { get; }
    }
}
