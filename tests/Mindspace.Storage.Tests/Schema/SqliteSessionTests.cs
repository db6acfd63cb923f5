using Microsoft.Data.Sqlite;
using Mindspace.Silo.Storage.Sqlite;
using Mindspace.Testing;

namespace Mindspace.Storage.Tests.Schema;

/// <summary>The open connections <see cref="SqliteDatabase"/> keeps, and the statements they keep (<see cref="SqliteSession"/>).</summary>
public sealed class SqliteSessionTests : IDisposable
{
    private const string Insert = "INSERT INTO notes (id, text) VALUES (@id, @text)";

    private readonly TempDirectory _directory = new("sqlite-session");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_connection_compiles_a_text_once_and_hands_its_command_back_with_no_parameters()
    {
        using var database = new SqliteDatabase(_directory.Combine("statements.db"), new SqliteStorageOptions());
        await CreateNotesAsync(database);

        var (first, second, other, parametersLeft) = await database.WriteAsync(
            (session, _) =>
            {
                var first = session.Statement(Insert);
                first.Parameters.AddWithValue("@id", 1);
                var second = session.Statement(Insert);
                return Task.FromResult((first, second, session.Statement("SELECT count(*) FROM notes"), second.Parameters.Count));
            },
            CancellationToken.None);

        Assert.Same(first, second);
        Assert.NotSame(first, other);
        Assert.Equal(0, parametersLeft);
    }

    [Fact]
    public async Task A_kept_statement_runs_in_each_later_group_commit_and_its_rows_are_durable()
    {
        var path = _directory.Combine("commits.db");
        using (var database = new SqliteDatabase(path, new SqliteStorageOptions()))
        {
            await CreateNotesAsync(database);

            // One after another: each write is its own group commit, with its own transaction, on the writer's one connection.
            for (var id = 1; id <= 5; id++)
            {
                await database.ExecuteAsync(
                    session =>
                    {
                        var command = session.Statement(Insert);
                        command.Parameters.AddWithValue("@id", id);
                        command.Parameters.AddWithValue("@text", $"note {id}");
                        return command;
                    },
                    CancellationToken.None);
            }

            Assert.Equal((6L, 6L), database.WriteCounts); // the table's creation and five notes, each committed alone
        }

        using var reopened = new SqliteDatabase(path, new SqliteStorageOptions());
        Assert.Equal(5L, await reopened.ScalarAsync(session => session.Statement("SELECT count(*) FROM notes WHERE text LIKE 'note %'"), CancellationToken.None));
    }

    [Fact]
    public async Task After_the_first_group_commit_the_writer_makes_no_new_command_not_even_for_begin_and_commit()
    {
        using var database = new SqliteDatabase(_directory.Combine("no-new-commands.db"), new SqliteStorageOptions());
        await CreateNotesAsync(database);

        // Each write is its own group commit; the count is read inside it, after its BEGIN and before its COMMIT.
        var madeBefore = new List<long>();
        for (var id = 1; id <= 5; id++)
        {
            await database.ExecuteAsync(
                session =>
                {
                    madeBefore.Add(session.CommandsCreated);
                    var command = session.Statement(Insert);
                    command.Parameters.AddWithValue("@id", id);
                    command.Parameters.AddWithValue("@text", $"note {id}");
                    return command;
                },
                CancellationToken.None);
        }

        // The first note compiled its INSERT; from the second on, nothing new (a new command per BEGIN and COMMIT
        // would also register a finalizable weak reference with the connection every commit).
        Assert.Equal(madeBefore[1], madeBefore[^1]);
        Assert.True(madeBefore[1] > 0, "the writer's commands were not counted at all");
    }

    [Fact]
    public async Task Disposing_the_database_closes_every_connection_it_kept()
    {
        var path = _directory.Combine("closing.db");
        var database = new SqliteDatabase(path, new SqliteStorageOptions());
        await CreateNotesAsync(database);

        // Reads at once open several connections, all kept afterwards; the writer keeps its own.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => database.ReadAsync(
            async (session, token) =>
            {
                await Task.Delay(50, token);
                return await session.Statement("SELECT count(*) FROM notes").ExecuteScalarAsync(token);
            },
            CancellationToken.None)));
        Assert.True(File.Exists(path + "-wal"));

        database.Dispose();

        // SQLite removes the write-ahead log when the last connection to the file closes.
        Assert.False(File.Exists(path + "-wal"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => database.ReadAsync((_, _) => Task.FromResult(0), CancellationToken.None));
    }

    private static Task<int> CreateNotesAsync(SqliteDatabase database)
        => database.ExecuteAsync(session => session.Statement("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL) STRICT"), CancellationToken.None);
}
