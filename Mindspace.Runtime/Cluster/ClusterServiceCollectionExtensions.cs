using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mindspace.Runtime.Activation;
using Mindspace.Runtime.Cluster.Membership;
using Mindspace.Runtime.Cluster.Routing;
using Mindspace.Runtime.Cluster.Signals;
using Mindspace.Runtime.Cluster.Transport;
using Mindspace.Runtime.Messaging;
using Mindspace.Runtime.Streams;
using Npgsql;

namespace Mindspace.Runtime.Cluster;

/// <summary>Registers cluster membership, routing, wake-ups and the transport (called by <c>AddGrainRuntime</c>).</summary>
internal static class ClusterServiceCollectionExtensions
{
    /// <summary>The key of the cluster's own connection pool (membership reads, notifications).</summary>
    public const string DataSourceKey = "mindspace-cluster";

    public static IServiceCollection AddGrainCluster(this IServiceCollection services, ClusterOptions options)
    {
        services.AddSingleton(options);
        services.AddKeyedSingleton(DataSourceKey, (_, _) => NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(options.ConnectionString)
        {
            ApplicationName = $"mindspace-cluster:{options.SiloId}",
        }.ConnectionString));
        services.AddSingleton(sp => new MembershipTable(DataSource(sp)));
        services.AddSingleton(sp => new MembershipNotifier(DataSource(sp)));
        services.AddHostedService<ClusterSchemaInitializer>();

        services.AddSingleton<ClusterNotificationListener>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterNotificationListener>());
        services.AddSingleton(sp => new StreamWakeupRelay(DataSource(sp), sp.GetRequiredService<ILogger<StreamWakeupRelay>>()));
        services.AddSingleton<IStreamWakeupRelay>(sp => sp.GetRequiredService<StreamWakeupRelay>());
        services.AddHostedService(sp => sp.GetRequiredService<StreamWakeupRelay>());

        services.AddSingleton<PartitionDirectory>();
        services.AddHostedService(sp => sp.GetRequiredService<PartitionDirectory>());
        services.AddSingleton(new PartitionGate(TimeProvider.System));
        services.AddSingleton<IPartitionOwnership>(sp => sp.GetRequiredService<PartitionGate>());
        services.AddSingleton<LocalCallDispatcher>();
        services.AddSingleton(sp => new ClusterMember(options, sp.GetRequiredService<PartitionGate>(), sp.GetRequiredService<PartitionDirectory>(), sp));
        services.AddSingleton<IGrainCallTransport, ClusterGrainCallTransport>();
        services.AddClusterTransport(new ClusterTransportOptions { Secret = options.Secret });
        services.AddSingleton<IInboundCallHandler>(sp => sp.GetRequiredService<LocalCallDispatcher>());

        if (options.HostsGrains)
        {
            services.AddSingleton<SiloMembershipService>();
            services.AddHostedService(sp => sp.GetRequiredService<SiloMembershipService>());
        }

        return services;
    }

    private static NpgsqlDataSource DataSource(IServiceProvider services) => services.GetRequiredKeyedService<NpgsqlDataSource>(DataSourceKey);
}
