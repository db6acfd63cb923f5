using System.Reflection;
using Mindspace.Grains.Records;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;

namespace Mindspace.Gateway.Tests.Contracts;

/// <summary>
/// Walks what crosses a grain boundary or is stored, from grain interfaces and grain classes, and
/// lists every contract fault: a grain interface or method without <c>[Alias]</c>, a type of ours
/// without <c>[GenerateSerializer]</c> and <c>[Alias]</c>, one alias on two types (which Orleans
/// also refuses when it builds a serializer), and any type
/// (ours or .NET's) that Orleans has no codec or copier for — which Orleans itself finds only when
/// the call is made.
/// </summary>
/// <param name="isOurs">Types whose attributes and members are checked (not .NET's or Orleans').</param>
public sealed class ContractGraph(ICodecProvider codecs, Func<Type, bool> isOurs)
{
    private readonly HashSet<Type> _visited = [];
    private readonly Dictionary<string, HashSet<string>> _aliases = new(StringComparer.Ordinal);
    private readonly List<string> _problems = [];

    /// <summary>Every type reached so far (after unwrapping tasks, nullables and arrays).</summary>
    public IReadOnlyCollection<Type> Types => _visited;

    /// <summary>Types of ours reached so far.</summary>
    public IEnumerable<Type> OurTypes => _visited.Where(isOurs);

    public IReadOnlyList<string> Problems
        => [.. _problems, .. _aliases.Where(alias => alias.Value.Count > 1).Select(alias => $"alias '{alias.Key}' is used by {string.Join(", ", alias.Value.Order())}")];

    /// <summary>The grain interface's own alias, each method's alias, and every parameter and return type.</summary>
    public void AddGrainInterface(Type grainInterface)
    {
        CheckAlias(grainInterface, $"grain interface {Name(grainInterface)}");
        var methods = grainInterface.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly);
        var methodAliases = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var method in methods)
        {
            var where = $"{Name(grainInterface)}.{method.Name}";
            if (method.GetCustomAttribute<AliasAttribute>() is not { } alias)
            {
                _problems.Add($"{where} has no [Alias]");
            }
            else if (!methodAliases.TryAdd(alias.Alias, method.Name))
            {
                _problems.Add($"{where} and {Name(grainInterface)}.{methodAliases[alias.Alias]} share the method alias '{alias.Alias}'");
            }

            Add(method.ReturnType, $"{where} returns it");
            foreach (var parameter in method.GetParameters())
            {
                Add(parameter.ParameterType, $"{where}({parameter.Name})");
            }
        }
    }

    /// <summary>What a grain class stores: the T of its <see cref="IPersistentState{TState}"/> and <see cref="IRecordCollection{TRecord}"/> constructor parameters.</summary>
    public void AddGrainClass(Type grainClass)
    {
        foreach (var parameter in grainClass.GetConstructors().SelectMany(constructor => constructor.GetParameters()))
        {
            var type = parameter.ParameterType;
            if (type.IsConstructedGenericType && (type.GetGenericTypeDefinition() == typeof(IPersistentState<>) || type.GetGenericTypeDefinition() == typeof(IRecordCollection<>)))
            {
                Add(type.GetGenericArguments()[0], $"stored by {Name(grainClass)}({parameter.Name})");
            }
        }
    }

    private void Add(Type type, string reachedFrom)
    {
        type = Unwrap(type);
        if (type == typeof(void) || type.IsGenericParameter || !_visited.Add(type))
        {
            return;
        }

        // Grain references (observers, grains passed as arguments) travel as references: their own interface is walked on its own.
        if (typeof(IAddressable).IsAssignableFrom(type))
        {
            return;
        }

        // Orleans carries a method's token out of band (the caller's cancellation reaches the callee), not as a value.
        if (type == typeof(CancellationToken))
        {
            return;
        }

        // An interface or abstract type always gets a codec that defers to the value's runtime type:
        // whether those serialize is for the round trip of sample values to show.
        CheckFound(() => codecs.TryGetCodec(type), type, "codec", reachedFrom);
        CheckFound(() => codecs.TryGetDeepCopier(type), type, "copier", reachedFrom);

        foreach (var argument in type.IsConstructedGenericType ? type.GetGenericArguments() : [])
        {
            Add(argument, $"a type argument of {Name(type)}, {reachedFrom}");
        }

        if (!isOurs(type))
        {
            return;
        }

        if (type.GetCustomAttribute<GenerateSerializerAttribute>() is null)
        {
            _problems.Add($"{Name(type)} has no [GenerateSerializer] ({reachedFrom})");
        }

        CheckAlias(type, $"{Name(type)} ({reachedFrom})");
        if (type.IsEnum)
        {
            return;
        }

        const BindingFlags Members = BindingFlags.Public | BindingFlags.Instance;
        foreach (var property in type.GetProperties(Members).Where(property => property.GetIndexParameters().Length == 0))
        {
            Add(property.PropertyType, $"{Name(type)}.{property.Name}");
        }

        foreach (var field in type.GetFields(Members))
        {
            Add(field.FieldType, $"{Name(type)}.{field.Name}");
        }

        foreach (var parameter in type.GetConstructors(Members).SelectMany(constructor => constructor.GetParameters()))
        {
            Add(parameter.ParameterType, $"{Name(type)}({parameter.Name})");
        }
    }

    /// <summary>A generated codec or copier is built with its members' ones, and throws when one of those is missing.</summary>
    private void CheckFound(Func<object?> find, Type type, string what, string reachedFrom)
    {
        try
        {
            if (find() is null)
            {
                _problems.Add($"{Name(type)} has no Orleans {what} ({reachedFrom})");
            }
        }
        catch (Exception exception) when (exception is CodecNotFoundException or InvalidOperationException or ArgumentException)
        {
            _problems.Add($"{Name(type)}: Orleans could not build its {what} ({reachedFrom}): {exception.Message}");
        }
    }

    private void CheckAlias(Type type, string what)
    {
        if (type.GetCustomAttribute<AliasAttribute>() is not { } alias)
        {
            _problems.Add($"{what} has no [Alias]");
            return;
        }

        if (!_aliases.TryGetValue(alias.Alias, out var holders))
        {
            _aliases[alias.Alias] = holders = [];
        }

        holders.Add(Name(type));
    }

    /// <summary>Task, ValueTask, Nullable and arrays carry their element type.</summary>
    private static Type Unwrap(Type type)
    {
        while (true)
        {
            if (type == typeof(Task) || type == typeof(ValueTask))
            {
                return typeof(void);
            }

            if (type.IsArray)
            {
                type = type.GetElementType()!;
            }
            else if (type.IsConstructedGenericType && type.GetGenericTypeDefinition() is var definition
                && (definition == typeof(Task<>) || definition == typeof(ValueTask<>) || definition == typeof(Nullable<>)))
            {
                type = type.GetGenericArguments()[0];
            }
            else
            {
                return type;
            }
        }
    }

    public static string Name(Type type)
        => type.IsConstructedGenericType
            ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>"
            : type.FullName ?? type.Name;
}
