using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Mindspace.Grains;
using Mindspace.Grains.Interfaces;
using Mindspace.Runtime;
using Mindspace.Runtime.Persistence;
using Mindspace.Runtime.Persistence.Postgres;
using Mindspace.Runtime.Persistence.Sqlite;

namespace Mindspace.Silo;

/// <summary>Hosts Mindspace's grains in this process, on the storage the configuration names.</summary>
public static class SiloServiceCollectionExtensions
{
    /// <summary>
    /// Adds the grain runtime with every Mindspace grain. With <c>DATABASE_URL</c> set, state lives in
    /// that PostgreSQL; otherwise in SQLite under <c>DATA_DIR</c> (default <c>./data</c>).
    /// </summary>
    public static IServiceCollection AddMindspaceSilo(this IServiceCollection services, IConfiguration configuration, Action<RuntimeOptions>? configure = null)
    {
        var settings = SiloSettings.From(configuration);
        services.AddSingleton(settings);
        services.AddGrainRuntime(options =>
        {
            options.GrainAssemblies.Add(typeof(GrainsAssembly).Assembly);
            options.JsonTypeInfoResolvers.AddRange(ContractContextsOf(typeof(GrainInterfacesAssembly).Assembly));
            options.StorageProviderFactory = _ => CreateStorage(settings);
            settings.ApplyTo(options);
            configure?.Invoke(options);
        });
        return services;
    }

    private static IStorageProvider CreateStorage(SiloSettings settings)
    {
        if (settings.DatabaseUrl is { } databaseUrl)
        {
            return new PostgresStorageProvider(databaseUrl);
        }

        // Journals and moods are sensitive: only the service's own user may read the embedded data.
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(settings.DataDirectory);
        }
        else
        {
            Directory.CreateDirectory(settings.DataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return new SqliteStorageProvider(Path.Combine(settings.DataDirectory, "mindspace.db"));
    }

    /// <summary>Every source-generated JSON context of the grain contracts, so no module has to register its own.</summary>
    private static IEnumerable<IJsonTypeInfoResolver> ContractContextsOf(Assembly assembly)
        => assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && typeof(JsonSerializerContext).IsAssignableFrom(t))
            .Select(t => t.GetProperty("Default", BindingFlags.Public | BindingFlags.Static)?.GetValue(null))
            .OfType<IJsonTypeInfoResolver>();
}
