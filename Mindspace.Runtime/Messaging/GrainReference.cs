using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;

namespace Mindspace.Runtime.Messaging;

/// <summary>
/// The proxy behind every grain interface reference. Each method call becomes a
/// <see cref="GrainRequest"/> with its arguments in wire format, whether the grain lives in this
/// process or another.
/// </summary>
public class GrainReference : DispatchProxy, IAddressable
{
    private static readonly MethodInfo InvokeWithResultMethod =
        typeof(GrainReference).GetMethod(nameof(InvokeWithResultAsync), BindingFlags.NonPublic | BindingFlags.Instance)!;

    private static readonly ConcurrentDictionary<MethodDescriptor, Func<GrainReference, MethodDescriptor, object?[], object>> TypedCallers = new();

    private GrainClient? _client;
    private Type? _interfaceType;

    public GrainId GrainId { get; private set; }

    /// <summary>The id behind a reference made by <see cref="IGrainFactory"/>.</summary>
    public static GrainId IdOf(object grainReference)
        => grainReference is IAddressable addressable
            ? addressable.GrainId
            : throw new ArgumentException("Not a grain reference.", nameof(grainReference));

    internal void Initialize(GrainClient client, Type interfaceType, GrainId grainId)
    {
        _client = client;
        _interfaceType = interfaceType;
        GrainId = grainId;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.DeclaringType == typeof(IAddressable))
        {
            return GrainId;
        }

        if (targetMethod.DeclaringType == typeof(object))
        {
            return targetMethod.Name switch
            {
                nameof(ToString) => $"GrainReference:{GrainId}",
                nameof(GetHashCode) => GrainId.GetHashCode(),
                nameof(Equals) => args?[0] is GrainReference other && other.GrainId == GrainId,
                _ => throw new NotSupportedException(targetMethod.Name),
            };
        }

        var client = _client ?? throw new InvalidOperationException("Grain reference not initialized.");
        var descriptor = client.Registry.GetMethod(_interfaceType!, targetMethod);
        var arguments = args ?? [];
        return descriptor.ResultType is null
            ? client.InvokeAsync(GrainId, descriptor, arguments)
            : TypedCallers.GetOrAdd(descriptor, CompileTypedCaller)(this, descriptor, arguments);
    }

    /// <summary>A delegate that returns Task&lt;T&gt; for the method's T, so the proxy hands back the task type the interface declares.</summary>
    private static Func<GrainReference, MethodDescriptor, object?[], object> CompileTypedCaller(MethodDescriptor descriptor)
    {
        var reference = Expression.Parameter(typeof(GrainReference), "reference");
        var method = Expression.Parameter(typeof(MethodDescriptor), "descriptor");
        var arguments = Expression.Parameter(typeof(object?[]), "arguments");
        var call = Expression.Call(reference, InvokeWithResultMethod.MakeGenericMethod(descriptor.ResultType!), method, arguments);
        return Expression.Lambda<Func<GrainReference, MethodDescriptor, object?[], object>>(
            Expression.Convert(call, typeof(object)), reference, method, arguments).Compile();
    }

    private Task<T> InvokeWithResultAsync<T>(MethodDescriptor descriptor, object?[] arguments)
        => _client!.InvokeAsync<T>(GrainId, descriptor, arguments);
}
