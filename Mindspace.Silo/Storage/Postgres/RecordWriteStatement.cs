namespace Mindspace.Silo.Storage.Postgres;

/// <summary>
/// One kind of single-row write (put, add or remove) to one record table, as one statement over
/// arrays, so that a group commit sends all such writes of a batch at once (<see cref="PostgresWriteBatcher"/>).
/// Parameters are positional, so Npgsql sends the text as it is instead of parsing it for names:
/// <c>$1</c> the owners, <c>$2</c> the keys and, for put and add, <c>$3</c> the payloads. The statement
/// returns the <c>(owner, record_key)</c> of every row it wrote, so each caller learns its own outcome.
/// </summary>
/// <remarks>
/// A statement must not name one key twice: <c>ON CONFLICT DO UPDATE</c> cannot touch a row twice,
/// and each write of a key must see the ones before it. The batcher sends repeated keys in later
/// statements.
/// </remarks>
internal sealed class RecordWriteStatement
{
    private RecordWriteStatement(string quotedTable, string sql, bool takesPayload)
    {
        QuotedTable = quotedTable;
        Sql = sql;
        TakesPayload = takesPayload;
    }

    /// <summary>The table it writes, quoted (<see cref="RecordQuerySql.QuotedTable"/>).</summary>
    public string QuotedTable { get; }

    public string Sql { get; }

    /// <summary>Whether it takes the payloads (<c>$3</c>): put and add do, remove does not.</summary>
    public bool TakesPayload { get; }

    /// <summary>Inserts or replaces each record; every one is written.</summary>
    public static RecordWriteStatement Put(string quotedTable) => new(
        quotedTable,
        $"""
        INSERT INTO {quotedTable} (owner, record_key, payload, updated_at)
        SELECT owner, record_key, payload, now() FROM unnest($1::text[], $2::text[], $3::text[]) AS w (owner, record_key, payload)
        ON CONFLICT (owner, record_key) DO UPDATE SET payload = excluded.payload, updated_at = excluded.updated_at
        RETURNING owner, record_key
        """,
        takesPayload: true);

    /// <summary>Inserts each record whose key is free; returns only those.</summary>
    public static RecordWriteStatement Add(string quotedTable) => new(
        quotedTable,
        $"""
        INSERT INTO {quotedTable} (owner, record_key, payload, updated_at)
        SELECT owner, record_key, payload, now() FROM unnest($1::text[], $2::text[], $3::text[]) AS w (owner, record_key, payload)
        ON CONFLICT (owner, record_key) DO NOTHING
        RETURNING owner, record_key
        """,
        takesPayload: true);

    /// <summary>Deletes each record that exists; returns only those.</summary>
    public static RecordWriteStatement Remove(string quotedTable) => new(
        quotedTable,
        $"""
        DELETE FROM {quotedTable} AS r USING unnest($1::text[], $2::text[]) AS w (owner, record_key)
        WHERE r.owner = w.owner AND r.record_key = w.record_key
        RETURNING r.owner, r.record_key
        """,
        takesPayload: false);
}
