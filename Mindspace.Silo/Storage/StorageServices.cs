using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mindspace.Grains.Records;
using Mindspace.Silo.Storage.Postgres;
using Mindspace.Silo.Storage.Sqlite;
using Npgsql;

namespace Mindspace.Silo.Storage;

/// <summary>The databases behind a process: one SQLite file in embedded mode, one PostgreSQL in cluster mode.</summary>
public static class StorageServices
{
    public const string SqliteFileName = "mindspace.db";

    /// <summary>
    /// Registers the database this process uses and our record tables on it. In cluster mode it
    /// also applies Orleans' PostgreSQL scripts before anything else starts (a hosted service
    /// registered ahead of Orleans'), so there is nothing to run by hand.
    /// </summary>
    public static IServiceCollection AddMindspaceStorage(this IServiceCollection services, SiloSettings settings)
    {
        if (settings.IsEmbedded)
        {
            services.AddSingleton(provider => new SqliteDatabase(Path.Combine(settings.DataDirectory, SqliteFileName), new SqliteStorageOptions(), provider.GetRequiredService<ILogger<SqliteDatabase>>()));
            services.AddSingleton<IRecordStore>(sp => new SqliteRecordStore(sp.GetRequiredService<SqliteDatabase>()));
            services.AddSingleton<IStoragePing>(sp => new SqlitePing(sp.GetRequiredService<SqliteDatabase>()));
            return services;
        }

        services.AddSingleton(_ => NpgsqlDataSource.Create(PostgresConnectionString.Tuned(settings.DatabaseUrl!)));
        services.AddSingleton<IRecordStore>(sp => new PostgresRecordStore(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton<IStoragePing>(sp => new PostgresPing(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddHostedService<PostgresSchemaStartup>();
        return services;
    }

    /// <summary>Embedded mode's grain state and reminders, in the same SQLite file as the records.</summary>
    public static ISiloBuilder AddMindspaceSqliteStorage(this ISiloBuilder silo)
    {
        silo.AddSqliteGrainStorageAsDefault();
        silo.UseSqliteReminders();
        return silo;
    }

    /// <summary>Applies Orleans' scripts (once each, under a lock) before the silo or client starts.</summary>
    private sealed class PostgresSchemaStartup(NpgsqlDataSource dataSource, ILogger<PostgresSchemaStartup> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => OrleansSchemaMigrator.ApplyAsync(dataSource, logger, cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>A cheap round trip to the database, for readiness.</summary>
public interface IStoragePing
{
    string Name { get; }

    Task PingAsync(CancellationToken cancellationToken);
}

internal sealed class SqlitePing(SqliteDatabase database) : IStoragePing
{
    public string Name => "sqlite";

    public Task PingAsync(CancellationToken cancellationToken)
        => database.ScalarAsync(connection =>
        {
            var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            return command;
        }, cancellationToken);
}

internal sealed class PostgresPing(NpgsqlDataSource dataSource) : IStoragePing
{
    public string Name => "postgres";

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT 1");
        await command.ExecuteScalarAsync(cancellationToken);
    }
}
