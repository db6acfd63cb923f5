using System.Data.Common;
using System.Text;
using Mindspace.Grains.Records;

namespace Mindspace.Silo.Storage;

/// <summary>
/// What the SQLite and PostgreSQL record stores share: the argument checks of
/// <see cref="IRecordStore"/> and the SQL of a <see cref="RecordQuery"/>, whose text is the same
/// in both databases.
/// </summary>
internal static class RecordQuerySql
{
    /// <summary>The columns of a record table, in order, as the stores create them.</summary>
    public const string Columns = "owner,record_key,payload,updated_at";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The table name, quoted. Names are checked by <see cref="RecordTables.Require"/> before they
    /// are spliced into SQL; quoting lets names that are keywords (<c>order</c>, <c>user</c>) work too.
    /// Quoting a lower-case name does not change it in either database.
    /// </summary>
    public static string QuotedTable(string table) => $"\"{RecordTables.Require(table)}\"";

    /// <summary>
    /// Fails when <paramref name="table"/> already existed as something else (record table names
    /// share the database with grain state, reminders and Orleans' own tables), before a later
    /// statement fails on a missing column.
    /// </summary>
    /// <param name="columns">The table's columns in order, comma-separated.</param>
    /// <exception cref="InvalidOperationException">The table is not a record table.</exception>
    public static void RequireRecordColumns(string table, string? columns)
    {
        if (!string.Equals(columns, Columns, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"The table '{table}' exists but is not a record table (its columns are '{columns}', not '{Columns}'); give the collection another table name.");
        }
    }

    /// <summary>
    /// Checks an owner, key or bound. Both databases compare the UTF-8 bytes of keys, so a string
    /// must encode to UTF-8 exactly (no lone surrogate, which would silently become U+FFFD and
    /// collide with other keys) and must not contain NUL (PostgreSQL text cannot hold it).
    /// </summary>
    /// <exception cref="ArgumentException">It cannot be stored faithfully.</exception>
    public static string RequireText(string value, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(value, parameterName);
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("Record owners, keys and bounds cannot contain NUL characters.", parameterName);
        }

        try
        {
            StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException exception)
        {
            throw new ArgumentException("Record owners, keys and bounds must be valid Unicode (no lone surrogates).", parameterName, exception);
        }

        return value;
    }

    /// <summary>
    /// The payload as text. Payloads are UTF-8 JSON and stored as text so they stay readable in the
    /// database; text round-trips the bytes exactly, which <c>jsonb</c> would not (it reorders keys —
    /// System.Text.Json wants a polymorphic <c>$type</c> first — drops duplicates and rewrites numbers).
    /// </summary>
    /// <exception cref="ArgumentException">The payload is not UTF-8 or contains NUL.</exception>
    public static string PayloadText(ReadOnlyMemory<byte> payload)
    {
        if (payload.Span.Contains((byte)0))
        {
            throw new ArgumentException("A record payload is UTF-8 JSON text and cannot contain NUL bytes.", nameof(payload));
        }

        try
        {
            return StrictUtf8.GetString(payload.Span);
        }
        catch (DecoderFallbackException exception)
        {
            throw new ArgumentException("A record payload must be UTF-8 (JSON) text.", nameof(payload), exception);
        }
    }

    /// <summary>Checks a query before it reaches the database.</summary>
    /// <exception cref="ArgumentException">The limit is below one, or a bound cannot be stored (<see cref="RequireText"/>).</exception>
    public static void Validate(RecordQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit, nameof(query));
        if (query.After is { } after)
        {
            RequireText(after, nameof(query));
        }

        if (query.From is { } from)
        {
            RequireText(from, nameof(query));
        }

        if (query.To is { } to)
        {
            RequireText(to, nameof(query));
        }
    }

    /// <summary>
    /// Completes <paramref name="command"/> with one owner's rows of <paramref name="quotedTable"/>
    /// that <paramref name="query"/> selects: columns <c>record_key, payload</c>, in key order,
    /// limited. The primary key (owner, record_key) makes it one range scan of its index.
    /// </summary>
    public static void Apply(DbCommand command, string quotedTable, string owner, RecordQuery query)
    {
        command.CommandText = SelectText(quotedTable, query);
        Bind(command, owner, query);
    }

    /// <summary>The text of <see cref="Apply"/>: it depends on which bounds <paramref name="query"/> has and its order, never on their values.</summary>
    public static string SelectText(string quotedTable, RecordQuery query)
    {
        var sql = new StringBuilder("SELECT record_key, payload FROM ").Append(quotedTable).Append(" WHERE owner = @owner");
        if (query.From is not null)
        {
            sql.Append(" AND record_key >= @from");
        }

        if (query.To is not null)
        {
            sql.Append(" AND record_key < @to");
        }

        if (query.After is not null)
        {
            sql.Append(query.Descending ? " AND record_key < @after" : " AND record_key > @after");
        }

        return sql.Append(query.Descending ? " ORDER BY record_key DESC" : " ORDER BY record_key").Append(" LIMIT @limit").ToString();
    }

    /// <summary>The parameters of <see cref="SelectText"/>'s statement.</summary>
    public static void Bind(DbCommand command, string owner, RecordQuery query)
    {
        AddParameter(command, "@owner", owner);
        if (query.From is { } from)
        {
            AddParameter(command, "@from", from);
        }

        if (query.To is { } to)
        {
            AddParameter(command, "@to", to);
        }

        if (query.After is { } after)
        {
            AddParameter(command, "@after", after);
        }

        AddParameter(command, "@limit", query.Limit);
    }

    /// <summary>Distinct owners with a record whose payload contains a text, after an owner, in order (<see cref="IRecordStore.FindOwnersAsync"/>).</summary>
    public static void ApplyFindOwners(DbCommand command, string quotedTable, string payloadContains, string? afterOwner, int limit)
    {
        command.CommandText = FindOwnersText(quotedTable, afterOwner is not null);
        BindFindOwners(command, payloadContains, afterOwner, limit);
    }

    /// <summary>The text of <see cref="ApplyFindOwners"/>: the searched text is a parameter.</summary>
    public static string FindOwnersText(string quotedTable, bool afterAnOwner)
        => new StringBuilder("SELECT DISTINCT owner FROM ").Append(quotedTable).Append(" WHERE payload LIKE @pattern ESCAPE '\\'")
            .Append(afterAnOwner ? " AND owner > @after" : "")
            .Append(" ORDER BY owner LIMIT @limit").ToString();

    /// <summary>The parameters of <see cref="FindOwnersText"/>'s statement.</summary>
    public static void BindFindOwners(DbCommand command, string payloadContains, string? afterOwner, int limit)
    {
        RequireText(payloadContains, nameof(payloadContains));
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var pattern = "%" + payloadContains.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
        AddParameter(command, "@pattern", pattern);
        if (afterOwner is not null)
        {
            AddParameter(command, "@after", afterOwner);
        }

        AddParameter(command, "@limit", limit);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
