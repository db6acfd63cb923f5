using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Mindspace.Silo.Storage.Postgres;

/// <summary>
/// Applies Orleans' PostgreSQL scripts (embedded from <c>Scripts/</c>, used unchanged) at start: each
/// once, in order, however many processes start at the same time.
/// </summary>
/// <remarks>
/// Orleans' scripts are not idempotent (running one twice fails on <c>CREATE TABLE</c>), so each
/// applied script is recorded in <c>ms_applied_scripts</c> with its SHA-256. Everything happens in one
/// transaction holding a transaction-scoped advisory lock: a second process waits for the first to
/// commit, then finds every script recorded. A crash part way rolls the whole set back.
/// </remarks>
public static partial class OrleansSchemaMigrator
{
    /// <summary>Advisory lock key serializing these migrations ("MSORLEAN" in ASCII).</summary>
    public const long LockKey = 0x4D53_4F52_4C45_414E;

    /// <summary>Where applied scripts are recorded.</summary>
    public const string AppliedScriptsTable = "ms_applied_scripts";

    private const string ResourcePrefix = "Mindspace.Silo.Storage.Postgres.Scripts.";

    private const string CreateTableSql = $"""
        CREATE TABLE IF NOT EXISTS {AppliedScriptsTable} (
            name       text PRIMARY KEY,
            sha256     text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """;

    private const string ReadAppliedSql = $"SELECT name, sha256 FROM {AppliedScriptsTable}";

    private const string RecordSql = $"INSERT INTO {AppliedScriptsTable} (name, sha256, applied_at) VALUES (@name, @sha256, now())";

    /// <summary>The scripts in the order they are applied: Main first (it creates <c>OrleansQuery</c>), then the providers.</summary>
    public static IReadOnlyList<string> ScriptNames { get; } =
    [
        "PostgreSQL-Main.sql",
        "PostgreSQL-Clustering.sql",
        "PostgreSQL-Persistence.sql",
        "PostgreSQL-Reminders.sql",
    ];

    /// <summary>Applies every script not yet recorded in the database, in order, in one transaction.</summary>
    /// <exception cref="InvalidOperationException">
    /// An applied script's recorded hash differs from the embedded one, or a script's objects exist
    /// although it was never recorded.
    /// </exception>
    public static async Task ApplyAsync(NpgsqlDataSource dataSource, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(logger);
        var scripts = LoadScripts();

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // The lock comes before CREATE TABLE IF NOT EXISTS: two sessions creating the same table at
        // once can both pass the "not exists" check and one then fails on a unique violation.
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            command.Parameters.AddWithValue("key", LockKey);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var command = new NpgsqlCommand(CreateTableSql, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        var applied = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(ReadAppliedSql, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                applied[reader.GetString(0)] = reader.GetString(1);
            }
        }

        var appliedNow = 0;
        foreach (var script in scripts)
        {
            if (applied.TryGetValue(script.Name, out var recordedHash))
            {
                if (!string.Equals(recordedHash, script.Sha256, StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException(
                        $"The Orleans script '{script.Name}' was applied to this database with SHA-256 {recordedHash}, but this build embeds a different text (SHA-256 {script.Sha256}). "
                        + $"The scripts must stay unchanged once applied; restore the applied version, or migrate the database deliberately and update its row in {AppliedScriptsTable}.");
                }

                continue;
            }

            await RunScriptAsync(connection, transaction, script, cancellationToken);
            await using (var command = new NpgsqlCommand(RecordSql, connection, transaction))
            {
                command.Parameters.AddWithValue("name", script.Name);
                command.Parameters.AddWithValue("sha256", script.Sha256);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            LogScriptApplied(logger, script.Name);
            appliedNow++;
        }

        await transaction.CommitAsync(cancellationToken);
        if (appliedNow == 0)
        {
            LogUpToDate(logger, scripts.Count);
        }
    }

    private static async Task RunScriptAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Script script, CancellationToken cancellationToken)
    {
        // No parameters: Npgsql sends the whole multi-statement text, $$ function bodies included.
        await using var command = new NpgsqlCommand(script.Text, connection, transaction);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.DuplicateFunction or PostgresErrorCodes.DuplicateObject)
        {
            throw new InvalidOperationException(
                $"The Orleans script '{script.Name}' is not recorded in {AppliedScriptsTable}, yet objects it creates already exist (were the Orleans scripts applied by hand?). "
                + $"If the existing schema is this exact script's, record it: INSERT INTO {AppliedScriptsTable} (name, sha256) VALUES ('{script.Name}', '{script.Sha256}').",
                exception);
        }
    }

    private static List<Script> LoadScripts()
    {
        var assembly = typeof(OrleansSchemaMigrator).Assembly;
        var scripts = new List<Script>(ScriptNames.Count);
        foreach (var name in ScriptNames)
        {
            using var stream = assembly.GetManifestResourceStream(ResourcePrefix + name)
                ?? throw new InvalidOperationException($"The Orleans script '{name}' is not embedded in {assembly.GetName().Name} (expected resource {ResourcePrefix}{name}).");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var text = reader.ReadToEnd();
            scripts.Add(new Script(name, text, Hash(text)));
        }

        return scripts;
    }

    /// <summary>SHA-256 of the text with LF line ends, so a checkout with CRLF line ends hashes the same.</summary>
    private static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\n"))));

    private sealed record Script(string Name, string Text, string Sha256);

    [LoggerMessage(2211, LogLevel.Information, "Applied the Orleans PostgreSQL script {Script}")]
    private static partial void LogScriptApplied(ILogger logger, string script);

    [LoggerMessage(2212, LogLevel.Debug, "Orleans PostgreSQL schema up to date ({Count} scripts applied earlier)")]
    private static partial void LogUpToDate(ILogger logger, int count);
}
