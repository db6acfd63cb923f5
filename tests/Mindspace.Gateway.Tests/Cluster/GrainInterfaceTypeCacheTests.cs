using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mindspace.Gateway.Tests.CheckIns;
using Mindspace.Grains.Interfaces.CheckIns;
using Mindspace.Grains.Interfaces.Users;
using Mindspace.Silo;
using Mindspace.Silo.Cluster;
using Orleans.Metadata;
using Orleans.Serialization.TypeSystem;

namespace Mindspace.Gateway.Tests.Cluster;

/// <summary>
/// Silos (and so co-hosted gateways) and gateway-only clients make grain references through
/// <see cref="GrainInterfaceTypeCache"/>, and it names every interface exactly as Orleans does.
/// </summary>
public sealed class GrainInterfaceTypeCacheTests
{
    [Fact]
    public async Task A_silo_makes_grain_references_through_the_cache_and_it_names_every_interface_as_Orleans_does()
    {
        await using var host = await CheckInsGrainHost.StartAsync(DateTimeOffset.UtcNow);

        var reference = host.Grains.GetGrain<ICheckInsGrain>(Guid.NewGuid());

        Assert.True(host.Services.GetRequiredService<GrainInterfaceTypeCache>().Remembers(typeof(ICheckInsGrain)));
        Assert.Equal(OrleansOwnResolver(host.Services).GetGrainInterfaceType(typeof(ICheckInsGrain)), Assert.IsAssignableFrom<GrainReference>(reference).InterfaceType);
        AssertNamesEveryInterfaceAsOrleans(host.Services);
    }

    [Fact]
    public void A_client_of_the_cluster_resolves_through_the_cache_and_it_names_every_interface_as_Orleans_does()
    {
        using var services = new ServiceCollection()
            .AddOrleansClient(client => client.AddMindspaceClientCalls())
            .BuildServiceProvider();

        services.GetRequiredService<GrainInterfaceTypeResolver>().GetGrainInterfaceType(typeof(IUserGrain));

        Assert.True(services.GetRequiredService<GrainInterfaceTypeCache>().Remembers(typeof(IUserGrain)));
        AssertNamesEveryInterfaceAsOrleans(services);
    }

    /// <summary>Every Mindspace grain interface, one of Orleans' own, and a generic one, open and constructed.</summary>
    private static List<Type> Interfaces()
    {
        var ours = typeof(IUserGrain).Assembly.GetTypes().Where(type => type.IsInterface && typeof(IAddressable).IsAssignableFrom(type)).ToList();
        Assert.Contains(typeof(ICheckInsGrain), ours);
        Assert.True(ours.Count >= 20, $"Only {ours.Count} grain interfaces were found.");
        return
        [
            .. ours,
            typeof(IManagementGrain),
            typeof(INamedGenericProbe<>),
            typeof(INamedGenericProbe<Guid>),
            typeof(INamedGenericProbe<IReadOnlyList<string>>),
        ];
    }

    private static void AssertNamesEveryInterfaceAsOrleans(IServiceProvider services)
    {
        var orleans = OrleansOwnResolver(services);
        var inUse = services.GetRequiredService<GrainInterfaceTypeResolver>();
        foreach (var type in Interfaces())
        {
            var expected = orleans.GetGrainInterfaceType(type);
            Assert.Equal(expected, inUse.GetGrainInterfaceType(type)); // worked out
            Assert.Equal(expected, inUse.GetGrainInterfaceType(type)); // remembered
        }
    }

    /// <summary>A resolver built as Orleans builds its own, over the providers registered in the process.</summary>
    private static GrainInterfaceTypeResolver OrleansOwnResolver(IServiceProvider services)
        => new(services.GetServices<IGrainInterfaceTypeProvider>(), services.GetRequiredService<TypeConverter>());

    /// <summary>
    /// Named by its attribute; Orleans adds the type arguments to that name. Not a grain: the resolver takes
    /// any interface, and Orleans' code generator skips it. (A name by convention would need the type allowed
    /// in Orleans' type manifest: Mindspace has no generic grain interface.)
    /// </summary>
    [GrainInterfaceType("grainrefs-probe`1")]
    public interface INamedGenericProbe<T>;
}
