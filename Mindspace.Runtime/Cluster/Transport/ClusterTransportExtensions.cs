using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Mindspace.Runtime.Cluster.Transport;

/// <summary>Registration of the cluster transport in DI and on a Kestrel endpoint.</summary>
public static class ClusterTransportExtensions
{
    /// <summary>
    /// Registers the transport's options, the server-side <see cref="ClusterConnectionHandler"/> and
    /// the client-side <see cref="SiloConnectionPool"/> (singletons). The application registers the
    /// <see cref="IInboundCallHandler"/> that runs incoming calls (or uses the generic overload).
    /// </summary>
    public static IServiceCollection AddClusterTransport(this IServiceCollection services, ClusterTransportOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        services.AddLogging();
        services.TryAddSingleton(options);
        services.TryAddSingleton<ClusterConnectionHandler>();
        services.TryAddSingleton<SiloConnectionPool>();
        return services;
    }

    /// <summary>Like <see cref="AddClusterTransport(IServiceCollection, ClusterTransportOptions)"/>, with <typeparamref name="THandler"/> as the <see cref="IInboundCallHandler"/>.</summary>
    public static IServiceCollection AddClusterTransport<THandler>(this IServiceCollection services, ClusterTransportOptions options)
        where THandler : class, IInboundCallHandler
    {
        services.AddClusterTransport(options);
        services.TryAddSingleton<IInboundCallHandler, THandler>();
        return services;
    }

    /// <summary>
    /// Serves the cluster protocol on this endpoint (the internal port; never expose it through the
    /// gateway): <c>k.Listen(address, port, l => l.UseClusterTransport())</c>. Needs
    /// <see cref="AddClusterTransport(IServiceCollection, ClusterTransportOptions)"/> and an <see cref="IInboundCallHandler"/>.
    /// </summary>
    public static ListenOptions UseClusterTransport(this ListenOptions listenOptions)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        listenOptions.UseConnectionHandler<ClusterConnectionHandler>();
        return listenOptions;
    }
}
