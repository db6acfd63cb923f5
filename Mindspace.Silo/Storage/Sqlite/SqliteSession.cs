using Microsoft.Data.Sqlite;

namespace Mindspace.Silo.Storage.Sqlite;

/// <summary>
/// An open connection of <see cref="SqliteDatabase"/>'s own pool, which keeps the statements it has
/// compiled (<see cref="Statement"/>).
/// </summary>
/// <remarks>
/// Microsoft.Data.Sqlite compiles a command's SQL afresh for every new command (dotnet/efcore#14044),
/// and registers each with its connection through a finalizable weak reference. A check-in write runs
/// its statements and two savepoint statements on the writer; a read runs one. Kept open by the
/// database's pool, a connection compiles each text once and runs it again with new parameters.
/// </remarks>
public sealed class SqliteSession : SqliteConnection
{
    /// <summary>Most statements one connection keeps; past it they are all let go and compiled again as used.</summary>
    private const int MaxStatements = 128;

    private readonly Dictionary<string, SqliteCommand> _statements = new(StringComparer.Ordinal);

    internal SqliteSession(string connectionString)
        : base(connectionString)
    {
    }

    /// <summary>Commands made on this connection so far, whether by <see cref="Statement"/> or not: for tests.</summary>
    internal long CommandsCreated { get; private set; }

    /// <inheritdoc/>
    public override SqliteCommand CreateCommand()
    {
        CommandsCreated++;
        return base.CreateCommand();
    }

    /// <summary>
    /// A command for <paramref name="sql"/>, compiled on this connection's first use of the text and
    /// reused after: its parameters are cleared, ready for this call's. The command belongs to the
    /// connection; disposing it only drops its compiled form.
    /// </summary>
    public SqliteCommand Statement(string sql)
    {
        if (_statements.TryGetValue(sql, out var command))
        {
            command.Parameters.Clear();
            return command;
        }

        if (_statements.Count >= MaxStatements)
        {
            ForgetStatements();
        }

        command = CreateCommand();
        command.CommandText = sql;
        _statements.Add(sql, command);
        return command;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ForgetStatements();
        }

        base.Dispose(disposing);
    }

    private void ForgetStatements()
    {
        foreach (var command in _statements.Values)
        {
            command.Dispose();
        }

        _statements.Clear();
    }
}
