using System.Reflection;
using System.Text.Json;

namespace Mindspace.Gateway.Tests.Contracts;

/// <summary>How many items a sample's collections hold: each shape makes the compiler pick another list type.</summary>
public enum CollectionShape
{
    /// <summary><c>[]</c>: an empty array.</summary>
    Empty,

    /// <summary><c>[x]</c>: the compiler's single-element list.</summary>
    One,

    /// <summary><c>[x, y]</c>: the compiler's read-only array wrapper.</summary>
    Two,
}

/// <summary>
/// A sample value of any contract type, built by reflection so a new contract type needs no new
/// test code. Interface-typed lists are built the way our code builds them, with collection
/// expressions, whose runtime types (compiler-generated) Orleans has no codec of its own for.
/// </summary>
public static class ContractSamples
{
    private static readonly DateTimeOffset Instant = new(2025, 3, 14, 15, 9, 26, 535, TimeSpan.Zero);

    public static object Of(Type type, CollectionShape shape) => Of(type, shape, depth: 0);

    private static object Of(Type type, CollectionShape shape, int depth)
    {
        if (depth > 10)
        {
            throw new InvalidOperationException($"{type} nests too deeply for a sample (a cycle?).");
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Of(underlying, shape, depth + 1);
        }

        if (Simple(type) is { } simple)
        {
            return simple;
        }

        if (type.IsEnum)
        {
            // The last value: a non-default one, so a lost field shows.
            return Enum.GetValues(type).Cast<object>().Last();
        }

        if (type.IsArray)
        {
            return Collection(nameof(ArrayOf), type.GetElementType()!, shape, depth);
        }

        if (type.IsConstructedGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            var arguments = type.GetGenericArguments();
            if (definition == typeof(IReadOnlyList<>) || definition == typeof(IReadOnlyCollection<>) || definition == typeof(IEnumerable<>))
            {
                return Collection(nameof(ReadOnlyListOf), arguments[0], shape, depth);
            }

            if (definition == typeof(List<>))
            {
                return Collection(nameof(ListOf), arguments[0], shape, depth);
            }

            if ((definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(Dictionary<,>)) && arguments[0] == typeof(string))
            {
                var value = Of(arguments[1], shape, depth + 1);
                return typeof(ContractSamples).GetMethod(nameof(DictionaryOf), BindingFlags.NonPublic | BindingFlags.Static)!
                    .MakeGenericMethod(arguments[1]).Invoke(null, [value, Count(shape)])!;
            }
        }

        return Compose(type, shape, depth);
    }

    /// <summary>A record through its widest constructor; a state class through its setters.</summary>
    private static object Compose(Type type, CollectionShape shape, int depth)
    {
        if (type.IsInterface || type.IsAbstract)
        {
            throw new InvalidOperationException($"No sample for {type}: teach {nameof(ContractSamples)} how to make one.");
        }

        var constructor = type.GetConstructors().OrderByDescending(candidate => candidate.GetParameters().Length).FirstOrDefault()
            ?? throw new InvalidOperationException($"No sample for {type}: it has no public constructor.");
        var instance = constructor.Invoke([.. constructor.GetParameters().Select(parameter => Of(parameter.ParameterType, shape, depth + 1))]);
        if (constructor.GetParameters().Length == 0)
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(property => property.CanWrite))
            {
                property.SetValue(instance, Of(property.PropertyType, shape, depth + 1));
            }
        }

        return instance;
    }

    private static object? Simple(Type type)
        => type == typeof(string) ? "sample"
            : type == typeof(bool) ? true
            : type == typeof(int) ? 3
            : type == typeof(long) ? 42L
            : type == typeof(double) ? 2.5
            : type == typeof(Guid) ? Guid.CreateVersion7(Instant)
            : type == typeof(DateTimeOffset) ? Instant
            : type == typeof(DateTime) ? Instant.UtcDateTime
            : type == typeof(DateOnly) ? DateOnly.FromDateTime(Instant.UtcDateTime)
            : type == typeof(TimeSpan) ? TimeSpan.FromMinutes(15)
            : type == typeof(JsonElement) ? JsonDocument.Parse("""{"theme":"dusk","reminders":{"daily":true}}""").RootElement.Clone()
            : null;

    private static object Collection(string factory, Type element, CollectionShape shape, int depth)
    {
        var item = Of(element, shape, depth + 1);
        return typeof(ContractSamples).GetMethod(factory, BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(element).Invoke(null, [item, shape])!;
    }

    private static int Count(CollectionShape shape) => shape switch
    {
        CollectionShape.Empty => 0,
        CollectionShape.One => 1,
        _ => 2,
    };

    private static IReadOnlyList<T> ReadOnlyListOf<T>(T item, CollectionShape shape) => shape switch
    {
        CollectionShape.Empty => [],
        CollectionShape.One => [item],
        _ => [item, item],
    };

    private static List<T> ListOf<T>(T item, CollectionShape shape) => [.. ReadOnlyListOf(item, shape)];

    private static T[] ArrayOf<T>(T item, CollectionShape shape) => [.. ReadOnlyListOf(item, shape)];

    private static Dictionary<string, T> DictionaryOf<T>(T value, int count)
        => Enumerable.Range(0, count).ToDictionary(index => $"key-{index}", _ => value);
}
