using System.Collections.Concurrent;
using System.Reflection;
using Mindspace.Runtime.Messaging;

namespace Mindspace.Runtime.Activation;

/// <summary>
/// Knows the grain interfaces and classes of this process: which grain type name an interface
/// addresses, which class implements a type, and each interface method's descriptor.
/// </summary>
public sealed class GrainTypeRegistry
{
    private static readonly HashSet<Type> MarkerInterfaces = [typeof(IGrain), typeof(IGrainWithGuidKey), typeof(IGrainWithStringKey)];

    private readonly Dictionary<string, Type> _classesByGrainType = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Type> _interfacesByName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Type, Dictionary<string, MethodDescriptor>> _methods = new();
    private readonly ConcurrentDictionary<MethodInfo, MethodDescriptor> _methodsByInfo = new();

    public GrainTypeRegistry(IEnumerable<Assembly> grainAssemblies)
    {
        foreach (var type in grainAssemblies.Distinct().SelectMany(a => a.GetTypes()))
        {
            if (!type.IsClass || type.IsAbstract || !typeof(Grain).IsAssignableFrom(type))
            {
                continue;
            }

            foreach (var grainInterface in GrainInterfacesOf(type))
            {
                var name = GrainTypeName(grainInterface);
                if (_classesByGrainType.TryGetValue(name, out var existing) && existing != type)
                {
                    throw new InvalidOperationException(
                        $"Grain type '{name}' ({grainInterface.Name}) is implemented by both {existing.FullName} and {type.FullName}; each grain interface needs exactly one class.");
                }

                _classesByGrainType[name] = type;
                RegisterInterface(grainInterface);
            }
        }

        RegisterInterface(typeof(IRemindable));
    }

    /// <summary>Grain type names and the classes that implement them.</summary>
    public IReadOnlyDictionary<string, Type> GrainClasses => _classesByGrainType;

    /// <summary>The name an interface's grains carry in their ids (worked out once per interface: every GetGrain asks).</summary>
    public static string GrainTypeName(Type grainInterface) => TypeNames.GetOrAdd(grainInterface, NameOf);

    private static string NameOf(Type grainInterface)
    {
        if (grainInterface.GetCustomAttribute<GrainTypeAttribute>() is { } attribute)
        {
            return attribute.Name;
        }

        var name = grainInterface.Name;
        if (name.Length > 1 && name[0] == 'I' && char.IsUpper(name[1]))
        {
            name = name[1..];
        }

        if (name.EndsWith("Grain", StringComparison.Ordinal) && name.Length > "Grain".Length)
        {
            name = name[..^"Grain".Length];
        }

        return name.ToLowerInvariant();
    }

    private static readonly ConcurrentDictionary<Type, string> TypeNames = new();

    public Type GetGrainClass(GrainId grainId)
        => _classesByGrainType.TryGetValue(grainId.Type, out var type)
            ? type
            : throw new InvalidOperationException($"No grain class is registered for grain type '{grainId.Type}' ({grainId}).");

    public MethodDescriptor GetMethod(Type grainInterface, MethodInfo method)
    {
        if (_methodsByInfo.TryGetValue(method, out var known))
        {
            return known;
        }

        var descriptor = RegisterInterface(grainInterface).Values.First(d => d.Method == method);
        _methodsByInfo[method] = descriptor;
        return descriptor;
    }

    public MethodDescriptor GetMethod(string interfaceName, string methodKey)
    {
        if (!_interfacesByName.TryGetValue(interfaceName, out var grainInterface))
        {
            throw new InvalidOperationException($"Unknown grain interface '{interfaceName}'.");
        }

        return _methods[grainInterface].TryGetValue(methodKey, out var descriptor)
            ? descriptor
            : throw new InvalidOperationException($"Grain interface '{interfaceName}' has no method '{methodKey}'.");
    }

    /// <summary>Makes an interface known (callers register the interfaces they use on first reference).</summary>
    public IReadOnlyDictionary<string, MethodDescriptor> RegisterInterface(Type grainInterface)
    {
        return _methods.GetOrAdd(grainInterface, static (t, self) =>
        {
            self._interfacesByName[t.FullName!] = t;
            var all = t.GetInterfaces().Where(i => !MarkerInterfaces.Contains(i)).Prepend(t);
            return all.SelectMany(MethodDescriptor.ForInterface)
                .GroupBy(d => d.Key)
                .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        }, this);
    }

    private static IEnumerable<Type> GrainInterfacesOf(Type grainClass)
        => grainClass.GetInterfaces().Where(i =>
            typeof(IGrain).IsAssignableFrom(i) && !MarkerInterfaces.Contains(i) && i != typeof(IRemindable));
}
