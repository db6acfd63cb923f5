using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mindspace.Grains;
using Mindspace.Grains.Interfaces;
using Mindspace.Runtime;
using Mindspace.Runtime.Persistence;
using Mindspace.Runtime.Persistence.Postgres;
using Mindspace.Runtime.Persistence.Sqlite;

namespace Mindspace.Silo;

/// <summary>Whether a process hosts grains or only calls them.</summary>
public enum SiloRole
{
    /// <summary>Hosts grains: the embedded silo, a cluster silo, or a gateway with its silo in-process.</summary>
    HostsGrains,

    /// <summary>Hosts no grains and routes every call to the cluster's silos (<c>GATEWAY_ONLY</c>, command-line tools).</summary>
    ClientOnly,
}

/// <summary>Hosts Mindspace's grains in this process, on the storage the configuration names.</summary>
public static class SiloServiceCollectionExtensions
{
    /// <summary>
    /// Adds the grain runtime with every Mindspace grain. Without <c>DATABASE_URL</c> this process is
    /// the one embedded silo, on SQLite under <c>DATA_DIR</c> (default <c>./data</c>). With it, the
    /// process joins the cluster on that PostgreSQL: as a silo that hosts grains, or — with
    /// <paramref name="role"/> <see cref="SiloRole.ClientOnly"/> — as a client that routes every call
    /// to the silos. A grain-hosting cluster member must also listen on the silo port
    /// (<see cref="SiloEndpoints.Configure"/>).
    /// </summary>
    public static IServiceCollection AddMindspaceSilo(this IServiceCollection services, IConfiguration configuration, SiloRole role = SiloRole.HostsGrains, Action<RuntimeOptions>? configure = null)
    {
        var settings = SiloSettings.From(configuration);
        services.AddSingleton(settings);
        services.Configure<HostOptions>(options => options.ShutdownTimeout = settings.ShutdownTimeout);
        services.AddGrainRuntime(options =>
        {
            options.Cluster = settings.ToClusterOptions(hostsGrains: role == SiloRole.HostsGrains);
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
