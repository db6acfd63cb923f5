using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace Mindspace.Baselines;

/// <summary>The body of <c>POST /entries</c>, as Mindspace's <c>POST /api/v1/entries</c> takes it.</summary>
public sealed record EntryRequest(string? Text, int? Mood = null, IReadOnlyList<string?>? Tags = null);

/// <summary>An entry as it is stored and returned (the same members as Mindspace's EntryView).</summary>
public sealed record Entry(Guid Id, string Text, int? Mood, IReadOnlyList<string> Tags, DateTimeOffset CreatedAt, DateTimeOffset? UpdatedAt);

/// <summary>A page of entries, newest first.</summary>
public sealed record EntryPage(IReadOnlyList<Entry> Items, string? NextCursor);

/// <summary>The fixed document of <c>GET /constant</c>.</summary>
public sealed record Constant(string Status, int Version)
{
    public static readonly Constant Response = new("ok", 1);
}

/// <summary>The same rules Mindspace applies to a new entry: text 1–2,000 text elements after trimming, mood 1–5, up to 10 distinct tags of 1–32 characters in lower case.</summary>
public static class EntryRules
{
    public static Dictionary<string, string[]>? Validate(EntryRequest request)
    {
        Dictionary<string, string[]>? errors = null;
        var text = request.Text?.Trim();
        if (string.IsNullOrEmpty(text) || new StringInfo(text).LengthInTextElements > 2000)
        {
            (errors ??= [])["text"] = ["Write 1 to 2,000 characters."];
        }

        if (request.Mood is { } mood && mood is < 1 or > 5)
        {
            (errors ??= [])["mood"] = ["Mood is a whole number from 1 to 5."];
        }

        if (request.Tags is { } tags && (tags.Count > 10 || tags.Any(tag => tag?.Trim() is not { Length: >= 1 and <= 32 })))
        {
            (errors ??= [])["tags"] = ["Up to 10 tags of 1 to 32 characters."];
        }

        return errors;
    }

    public static Entry Normalize(EntryRequest request)
    {
        var now = DateTimeOffset.UtcNow;
        var tags = request.Tags is null
            ? []
            : request.Tags.Select(tag => tag!.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToArray();

        // Postgres keeps microseconds; the row returned is the row stored.
        var createdAt = new DateTimeOffset(now.Ticks - (now.Ticks % 10), TimeSpan.Zero);
        return new Entry(Guid.CreateVersion7(now), request.Text!.Trim(), request.Mood, tags, createdAt, null);
    }
}

/// <summary>One table, one statement per request, a pooled data source.</summary>
public static class Database
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS baseline_entries (
            user_id    uuid        NOT NULL,
            id         uuid        NOT NULL,
            text       text        NOT NULL,
            mood       smallint    NULL,
            tags       text[]      NOT NULL,
            created_at timestamptz NOT NULL,
            PRIMARY KEY (user_id, id)
        )
        """;

    private const string InsertSql = "INSERT INTO baseline_entries (user_id, id, text, mood, tags, created_at) VALUES ($1, $2, $3, $4, $5, $6)";

    // Ids are UUIDv7 (time first), so the primary key gives newest-first order without a second index.
    private const string NewestSql = "SELECT id, text, mood, tags, created_at FROM baseline_entries WHERE user_id = $1 ORDER BY id DESC LIMIT $2";

    public static string ConnectionString(string databaseUrl)
    {
        if (!databaseUrl.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            && !databaseUrl.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return databaseUrl;
        }

        var uri = new Uri(databaseUrl);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port > 0 ? uri.Port : 5432,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(userInfo[0]);
        }

        if (userInfo.Length > 1)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        return builder.ConnectionString;
    }

    public static async Task CreateSchemaAsync(NpgsqlDataSource db)
    {
        await using var command = db.CreateCommand(Schema);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task InsertAsync(NpgsqlDataSource db, Guid userId, Entry entry, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(InsertSql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = userId });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = entry.Id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Mood is { } mood ? (short)mood : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Smallint });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. entry.Tags] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = entry.CreatedAt });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<List<Entry>> NewestAsync(NpgsqlDataSource db, Guid userId, int limit, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(NewestSql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = userId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<Entry>(limit);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new Entry(
                reader.GetGuid(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetInt16(2),
                reader.GetFieldValue<string[]>(3),
                reader.GetFieldValue<DateTimeOffset>(4),
                null));
        }

        return rows;
    }
}
