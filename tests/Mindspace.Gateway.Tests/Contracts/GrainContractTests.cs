using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Mindspace.Grains.Interfaces.Users;
using Mindspace.Grains.Users;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;

namespace Mindspace.Gateway.Tests.Contracts;

/// <summary>
/// What crosses a grain boundary or is stored keeps working after a rename and has a serializer:
/// Orleans says neither at build time (a missing alias is silent; a missing codec fails the call).
/// </summary>
public sealed class GrainContractTests : IDisposable
{
    private static readonly Assembly[] OurAssemblies = [typeof(IUserGrain).Assembly, typeof(UserGrain).Assembly];

    private readonly ServiceProvider _services = new ServiceCollection()
        .AddSerializer(builder => builder.AddAssembly(typeof(IUserGrain).Assembly).AddAssembly(typeof(UserGrain).Assembly))
        .BuildServiceProvider();

    private ICodecProvider Codecs => _services.GetRequiredService<ICodecProvider>();

    [Fact]
    public void Every_grain_interface_method_and_contract_type_has_an_alias_and_a_serializer()
    {
        var graph = WalkOurContracts();

        Assert.True(graph.Problems.Count == 0, "Contract faults:" + Environment.NewLine + string.Join(Environment.NewLine, graph.Problems));

        // The walk reached what it should: every module's grains, and stored state.
        Assert.Contains(typeof(UserProfile), graph.Types);
        Assert.Contains(typeof(UserState), graph.Types);
        Assert.Contains(typeof(Grains.CheckIns.StoredEntry), graph.Types);
        Assert.Contains(typeof(Grains.Interfaces.Notifications.InboxPage), graph.Types);
        Assert.Contains(typeof(Grains.Interfaces.Auth.LoginThrottlePolicy), graph.Types);
        Assert.Contains(typeof(JsonElement), graph.Types);
        Assert.Contains(typeof(IReadOnlyDictionary<string, string[]>), graph.Types);
    }

    [Theory]
    [InlineData(CollectionShape.Empty)]
    [InlineData(CollectionShape.One)]
    [InlineData(CollectionShape.Two)]
    public void Every_contract_type_survives_Orleans_serialization_and_copying(CollectionShape shape)
    {
        var failures = new List<string>();
        var types = WalkOurContracts().OurTypes.Where(type => !type.IsInterface).OrderBy(type => type.FullName).ToList();
        foreach (var type in types)
        {
            try
            {
                var sample = ContractSamples.Of(type, shape);
                typeof(GrainContractTests).GetMethod(nameof(RoundTrip), BindingFlags.NonPublic | BindingFlags.Instance)!
                    .MakeGenericMethod(type).Invoke(this, [sample]);
            }
            catch (Exception exception)
            {
                var cause = exception is TargetInvocationException { InnerException: { } inner } ? inner : exception;
                failures.Add($"{ContractGraph.Name(type)}: {cause.GetType().Name}: {cause.Message}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(types.Count >= 40, $"Only {types.Count} contract types were sampled.");
    }

    [Fact]
    public void A_list_built_with_a_collection_expression_crosses_a_grain_boundary()
    {
        IReadOnlyList<string> roles = ["member"];
        IReadOnlyList<string> tags = ["calm", "sleep"];
        Assert.Null(Codecs.TryGetCodec(roles.GetType())); // the compiler's own list types: no codec of their own...

        var profile = RoundTrip(new UserProfile(Guid.NewGuid(), "a@example.test", "A", "UTC", roles, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, JsonDocument.Parse("{}").RootElement));
        var entry = RoundTrip(new Grains.Interfaces.CheckIns.NewEntry("text", 4, tags));

        Assert.Equal(["member"], profile.Roles); // ...yet the interface-typed member carries them
        Assert.Equal(["calm", "sleep"], entry.Tags);
    }

    [Fact]
    public void The_walk_reports_each_kind_of_fault()
    {
        var graph = new ContractGraph(Codecs, type => type.DeclaringType == typeof(Faulty));
        graph.AddGrainInterface(typeof(Faulty.IUnaliasedGrain));
        graph.AddGrainClass(typeof(Faulty.StoringGrain));

        var problems = string.Join(Environment.NewLine, graph.Problems);

        Assert.Contains($"grain interface {typeof(Faulty.IUnaliasedGrain).FullName} has no [Alias]", problems);
        Assert.Contains($"{typeof(Faulty.IUnaliasedGrain).FullName}.GetAsync has no [Alias]", problems);
        Assert.Contains($"{typeof(Faulty.Unmarked).FullName} has no [GenerateSerializer]", problems);
        Assert.Contains($"{typeof(Faulty.Unmarked).FullName} ({typeof(Faulty.IUnaliasedGrain).FullName}.GetAsync returns it) has no [Alias]", problems);
        Assert.Contains($"{typeof(Faulty.Unmarked).FullName} has no Orleans codec", problems);
        Assert.Contains($"{typeof(JsonDocument).FullName} has no Orleans codec", problems); // a .NET type, reached through Unmarked's property
        Assert.Contains($"{typeof(Faulty.UnmarkedState).FullName} has no [GenerateSerializer]", problems);
    }

    public void Dispose() => _services.Dispose();

    private ContractGraph WalkOurContracts()
    {
        var graph = new ContractGraph(Codecs, type => OurAssemblies.Contains(type.Assembly));
        foreach (var type in OurAssemblies.SelectMany(assembly => assembly.GetTypes()))
        {
            if (type.IsInterface && typeof(IAddressable).IsAssignableFrom(type))
            {
                graph.AddGrainInterface(type);
            }
            else if (type.IsClass && !type.IsAbstract && typeof(Grain).IsAssignableFrom(type))
            {
                graph.AddGrainClass(type);
            }
        }

        return graph;
    }

    private T RoundTrip<T>(T value)
    {
        var serializer = _services.GetRequiredService<Serializer<T>>();
        var copier = _services.GetRequiredService<DeepCopier<T>>();
        var deserialized = serializer.Deserialize(serializer.SerializeToArray(value));
        var copied = copier.Copy(value);

        // Records holding lists compare lists by reference: compare what a person would read instead.
        Assert.Equal(JsonSerializer.Serialize(value), JsonSerializer.Serialize(deserialized));
        Assert.Equal(JsonSerializer.Serialize(value), JsonSerializer.Serialize(copied));
        return deserialized!;
    }

    /// <summary>
    /// One of each fault, for showing that the walk finds them. Plain types without aliases: Orleans'
    /// code generator registers this assembly's grains and aliased types with every serializer in the
    /// test process, and these must never reach one. (An alias taken twice is not among them for that
    /// reason; across assemblies Orleans itself refuses to build a serializer then, and within one the
    /// Orleans analyzer fails the build.)
    /// </summary>
    public static class Faulty
    {
        public interface IUnaliasedGrain
        {
            Task<Unmarked> GetAsync(Guid id);
        }

        public sealed record Unmarked(string Name, JsonDocument Document);

        public sealed class UnmarkedState
        {
            public string Name { get; set; } = string.Empty;
        }

        public sealed class StoringGrain(IPersistentState<UnmarkedState> state)
        {
            public IPersistentState<UnmarkedState> State => state;
        }
    }
}
