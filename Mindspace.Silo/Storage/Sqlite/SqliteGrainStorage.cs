using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Runtime.Hosting;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Mindspace.Silo.Storage.Sqlite;

/// <summary>
/// Orleans grain storage in the embedded SQLite file: state as readable JSON text, the etag an
/// integer version that every write and clear compares and increments.
/// </summary>
/// <remarks>
/// <para>
/// A write succeeds only when the stored version equals the state's etag (a null etag means nothing
/// is stored yet); otherwise it throws <see cref="InconsistentStateException"/> and changes nothing,
/// so a stale activation can never overwrite newer state.
/// </para>
/// <para>
/// Clear keeps the row as a tombstone (payload NULL, version incremented) instead of deleting it:
/// were the row deleted, a stale activation holding no etag could insert its old state again.
/// After a clear, reads report <c>RecordExists = false</c> with the tombstone's version as etag.
/// </para>
/// </remarks>
public sealed partial class SqliteGrainStorage : IGrainStorage
{
    private const string Table = SqliteSchema.GrainStateTable;

    private const string Key = "provider = @provider AND state_name = @state_name AND grain_type = @grain_type AND grain_key = @grain_key";

    private const string ReadSql = $"SELECT payload, version FROM {Table} WHERE {Key}";

    private const string ReadVersionSql = $"SELECT version FROM {Table} WHERE {Key}";

    private const string InsertSql = $"""
        INSERT INTO {Table} (provider, state_name, grain_type, grain_key, version, payload, updated_at_ticks)
        VALUES (@provider, @state_name, @grain_type, @grain_key, 1, @payload, @now)
        ON CONFLICT DO NOTHING
        RETURNING version
        """;

    /// <summary>Writes a payload, or a tombstone when <c>@payload</c> is NULL.</summary>
    private const string UpdateSql = $"""
        UPDATE {Table} SET payload = @payload, version = version + 1, updated_at_ticks = @now
        WHERE {Key} AND version = @expected
        RETURNING version
        """;

    private readonly string _name;
    private readonly SqliteDatabase _database;
    private readonly IActivatorProvider _activators;
    private readonly ILogger<SqliteGrainStorage> _logger;
    private readonly JsonSerializerOptions _json;

    /// <param name="name">The provider name; part of each row's key, so two providers never share state.</param>
    /// <param name="database">The shared SQLite file.</param>
    /// <param name="activators">Creates the empty state a read returns when nothing is stored (as Orleans' providers do).</param>
    /// <param name="logger">Logs version conflicts.</param>
    /// <param name="json">Serializer options; <see cref="JsonSerializerDefaults.Web"/> when null.</param>
    public SqliteGrainStorage(
        string name,
        SqliteDatabase database,
        IActivatorProvider activators,
        ILogger<SqliteGrainStorage> logger,
        JsonSerializerOptions? json = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(activators);
        ArgumentNullException.ThrowIfNull(logger);
        _name = name;
        _database = database;
        _activators = activators;
        _logger = logger;
        _json = json ?? new JsonSerializerOptions(JsonSerializerDefaults.Web);
    }

    /// <inheritdoc/>
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc/>
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateName);
        ArgumentNullException.ThrowIfNull(grainState);
        await SqliteSchema.EnsureCreatedAsync(_database, cancellationToken);

        var rows = await _database.QueryAsync(
            session => KeyedCommand(session, ReadSql, stateName, grainId),
            reader => (Payload: reader.IsDBNull(0) ? null : reader.GetString(0), Version: reader.GetInt64(1)),
            cancellationToken);

        if (rows.Count == 0)
        {
            grainState.State = CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        var (payload, version) = rows[0];
        grainState.State = payload is null ? CreateInstance<T>() : JsonSerializer.Deserialize<T>(payload, _json) ?? CreateInstance<T>();
        grainState.ETag = FormatETag(version);
        grainState.RecordExists = payload is not null;
    }

    /// <inheritdoc/>
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc/>
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateName);
        ArgumentNullException.ThrowIfNull(grainState);
        var payload = JsonSerializer.Serialize(grainState.State, _json);
        var version = await SaveAsync(stateName, grainId, grainState.ETag, payload, "write", cancellationToken);
        grainState.ETag = FormatETag(version);
        grainState.RecordExists = true;
    }

    /// <inheritdoc/>
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc/>
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateName);
        ArgumentNullException.ThrowIfNull(grainState);

        // A null etag means the grain saw nothing stored: if that still holds there is nothing to clear
        // (and no tombstone is needed, since no row exists that a stale writer could bring back).
        var version = await SaveAsync(stateName, grainId, grainState.ETag, payload: null, "clear", cancellationToken);
        grainState.ETag = FormatETag(version);
        grainState.RecordExists = false;
        grainState.State = CreateInstance<T>();
    }

    /// <summary>
    /// Compare-and-swap on the version: insert when <paramref name="etag"/> is null, else update the row
    /// holding exactly that version. Returns the new version, or null for a clear of a state never stored.
    /// </summary>
    private async Task<long?> SaveAsync(string stateName, GrainId grainId, string? etag, string? payload, string operation, CancellationToken cancellationToken)
    {
        long? expected = null;
        if (etag is not null)
        {
            // An etag this provider did not issue (another provider's, or garbage) can match no stored version.
            expected = long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw Conflict(stateName, grainId, operation, etag, stored: null);
        }

        await SqliteSchema.EnsureCreatedAsync(_database, cancellationToken);
        return await _database.WriteAsync<long?>(
            async (session, token) =>
            {
                if (expected is null && payload is null)
                {
                    // Clear with no etag: succeeds only while nothing is stored.
                    var stored = await ReadVersionAsync(session, stateName, grainId, token);
                    return stored is null ? null : throw Conflict(stateName, grainId, operation, etag, stored);
                }

                var command = KeyedCommand(session, expected is null ? InsertSql : UpdateSql, stateName, grainId);
                command.Parameters.AddWithValue("@payload", (object?)payload ?? DBNull.Value);
                command.Parameters.AddWithValue("@now", DateTime.UtcNow.Ticks);
                if (expected is { } value)
                {
                    command.Parameters.AddWithValue("@expected", value);
                }

                if (await command.ExecuteScalarAsync(token) is long version)
                {
                    return version;
                }

                // Nothing changed: another writer got there first. The stored version only goes into the exception.
                throw Conflict(stateName, grainId, operation, etag, await ReadVersionAsync(session, stateName, grainId, token));
            },
            cancellationToken);
    }

    private async Task<long?> ReadVersionAsync(SqliteSession session, string stateName, GrainId grainId, CancellationToken cancellationToken)
        => await KeyedCommand(session, ReadVersionSql, stateName, grainId).ExecuteScalarAsync(cancellationToken) as long?;

    private InconsistentStateException Conflict(string stateName, GrainId grainId, string operation, string? etag, long? stored)
    {
        var storedETag = FormatETag(stored);
        var grainType = grainId.Type.ToString();
        LogVersionConflict(_logger, operation, _name, stateName, grainType, storedETag ?? "none", etag ?? "none");

        // The grain key stays out of the message: it can be a user's identifier.
        return new InconsistentStateException(
            $"Version conflict on {operation} of state '{stateName}' (provider '{_name}', grain type '{grainType}'): stored version {storedETag ?? "none"}, expected {etag ?? "none"}.",
            storedETag,
            etag,
            (Exception?)null);
    }

    private SqliteCommand KeyedCommand(SqliteSession session, string sql, string stateName, GrainId grainId)
    {
        var command = session.Statement(sql);
        command.Parameters.AddWithValue("@provider", _name);
        command.Parameters.AddWithValue("@state_name", stateName);
        command.Parameters.AddWithValue("@grain_type", grainId.Type.ToString());
        command.Parameters.AddWithValue("@grain_key", grainId.Key.ToString());
        return command;
    }

    private T CreateInstance<T>() => _activators.GetActivator<T>().Create();

    private static string? FormatETag(long? version) => version?.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(2201, LogLevel.Warning, "Grain state {Operation} refused on a version conflict: provider {Provider}, state {StateName}, grain type {GrainType}, stored version {Stored}, expected {Expected}")]
    private static partial void LogVersionConflict(ILogger logger, string operation, string provider, string stateName, string grainType, string stored, string expected);
}

/// <summary>Registers <see cref="SqliteGrainStorage"/> with a silo.</summary>
public static class SqliteGrainStorageExtensions
{
    /// <summary>
    /// Adds SQLite grain storage named <paramref name="name"/>, on the <see cref="SqliteDatabase"/>
    /// singleton the host registers.
    /// </summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.ConfigureServices(services => services.AddSqliteGrainStorage(name));
    }

    /// <summary>Adds SQLite grain storage as the default provider (state with no storage name).</summary>
    public static ISiloBuilder AddSqliteGrainStorageAsDefault(this ISiloBuilder builder) =>
        builder.AddSqliteGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);

    /// <inheritdoc cref="AddSqliteGrainStorage(ISiloBuilder, string)"/>
    public static IServiceCollection AddSqliteGrainStorage(this IServiceCollection services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return services.AddGrainStorage(
            name,
            (provider, key) => new SqliteGrainStorage(
                key,
                provider.GetRequiredService<SqliteDatabase>(),
                provider.GetRequiredService<IActivatorProvider>(),
                provider.GetRequiredService<ILogger<SqliteGrainStorage>>()));
    }
}
