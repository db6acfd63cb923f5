using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mindspace.Runtime.Activation;
using Mindspace.Runtime.Cluster;
using Mindspace.Runtime.Messaging;
using Mindspace.Runtime.Persistence;
using Mindspace.Runtime.Reminders;
using Mindspace.Runtime.Serialization;
using Mindspace.Runtime.Streams;

namespace Mindspace.Runtime;

public static class GrainRuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Hosts a silo in this process: grains of <see cref="RuntimeOptions.GrainAssemblies"/>, their
    /// storage, reminders, streams and idle collection. <see cref="IGrainFactory"/> and
    /// <see cref="IStreamProvider"/> become available to the rest of the application.
    /// </summary>
    public static IServiceCollection AddGrainRuntime(this IServiceCollection services, Action<RuntimeOptions> configure)
    {
        var options = new RuntimeOptions();
        configure(options);
        options.Validate();

        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => options.StorageProviderFactory!(sp));
        services.AddSingleton(new GrainSerializer(options.JsonTypeInfoResolvers));
        services.AddSingleton(new GrainTypeRegistry(options.GrainAssemblies));
        services.AddSingleton<Catalog>();
        services.AddSingleton<GrainClient>();
        services.AddSingleton<IGrainFactory>(sp => sp.GetRequiredService<GrainClient>());
        services.AddSingleton<StreamWakeups>();
        services.AddSingleton<IStreamProvider, StreamProvider>();
        services.AddSingleton<ReminderRegistry>();
        services.AddSingleton<ReminderService>();
        if (options.Cluster is { } cluster)
        {
            services.AddGrainCluster(cluster);
        }
        else
        {
            services.AddSingleton<IGrainCallTransport, LocalGrainCallTransport>();
            services.AddSingleton<IPartitionOwnership, AllPartitions>();
        }

        // Order matters: storage is ready before reminders fire, and activations drain after reminders stop.
        services.AddHostedService<SiloLifecycleService>();
        services.AddHostedService(sp => sp.GetRequiredService<ReminderService>());
        services.AddHostedService<ActivationCollector>();
        services.AddHostedService<CallDeadlineSweeper>();
        return services;
    }
}
