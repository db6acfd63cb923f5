using System.Linq.Expressions;
using System.Reflection;

namespace Mindspace.Runtime.Messaging;

/// <summary>
/// Everything the runtime needs to call one grain interface method: its key on the wire, the
/// types to (de)serialize, and compiled delegates to invoke it and read its result.
/// Built once per method and shared by callers and activations.
/// </summary>
public sealed class MethodDescriptor
{
    private MethodDescriptor(Type interfaceType, MethodInfo method)
    {
        InterfaceType = interfaceType;
        InterfaceName = interfaceType.FullName!;
        Method = method;
        var parameters = method.GetParameters();
        CancellationTokenIndex = Array.FindIndex(parameters, p => p.ParameterType == typeof(CancellationToken));
        ParameterCount = parameters.Length;
        WireParameterTypes = [.. parameters.Where(p => p.ParameterType != typeof(CancellationToken)).Select(p => p.ParameterType)];
        Key = $"{method.Name}({string.Join(",", parameters.Select(p => p.ParameterType.Name))})";

        if (method.ReturnType == typeof(Task))
        {
            ResultType = null;
        }
        else if (method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            ResultType = method.ReturnType.GetGenericArguments()[0];
        }
        else
        {
            throw new NotSupportedException(
                $"Grain method {interfaceType.Name}.{method.Name} returns {method.ReturnType.Name}; grain methods must return Task or Task<T>.");
        }

        Invoke = CompileInvoker(interfaceType, method, parameters);
        ReadResult = ResultType is null ? static _ => null : CompileResultReader(method.ReturnType);
    }

    public Type InterfaceType { get; }

    /// <summary>The interface's full name, as calls name it on the wire.</summary>
    public string InterfaceName { get; }

    public MethodInfo Method { get; }

    /// <summary>Stable within an interface: name and parameter type names.</summary>
    public string Key { get; }

    public int ParameterCount { get; }

    /// <summary>Parameter types that travel (all but a <see cref="CancellationToken"/>).</summary>
    public Type[] WireParameterTypes { get; }

    /// <summary>Position of a <see cref="CancellationToken"/> parameter, or -1.</summary>
    public int CancellationTokenIndex { get; }

    /// <summary>The T of Task&lt;T&gt;, or null for Task.</summary>
    public Type? ResultType { get; }

    /// <summary>Calls the method on a grain through its interface.</summary>
    public Func<object, object?[], Task> Invoke { get; }

    /// <summary>Reads the result of a completed task returned by <see cref="Invoke"/>.</summary>
    public Func<Task, object?> ReadResult { get; }

    public static IReadOnlyList<MethodDescriptor> ForInterface(Type interfaceType)
    {
        return [.. interfaceType.GetMethods(BindingFlags.Public | BindingFlags.Instance).Select(m => new MethodDescriptor(interfaceType, m))];
    }

    /// <summary>The arguments as they travel: without the cancellation token.</summary>
    public object?[] WireArguments(object?[] arguments)
    {
        if (CancellationTokenIndex < 0)
        {
            return arguments;
        }

        var wire = new object?[WireParameterTypes.Length];
        for (int i = 0, w = 0; i < arguments.Length; i++)
        {
            if (i != CancellationTokenIndex)
            {
                wire[w++] = arguments[i];
            }
        }

        return wire;
    }

    /// <summary>The full argument list for the call, with <paramref name="cancellationToken"/> put back in its place.</summary>
    public object?[] CallArguments(object?[] wireArguments, CancellationToken cancellationToken)
    {
        if (CancellationTokenIndex < 0)
        {
            return wireArguments;
        }

        var arguments = new object?[ParameterCount];
        for (int i = 0, w = 0; i < ParameterCount; i++)
        {
            arguments[i] = i == CancellationTokenIndex ? cancellationToken : wireArguments[w++];
        }

        return arguments;
    }

    private static Func<object, object?[], Task> CompileInvoker(Type interfaceType, MethodInfo method, ParameterInfo[] parameters)
    {
        var grain = Expression.Parameter(typeof(object), "grain");
        var args = Expression.Parameter(typeof(object?[]), "args");
        var call = Expression.Call(
            Expression.Convert(grain, interfaceType),
            method,
            parameters.Select((p, i) => Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(i)), p.ParameterType)));
        return Expression.Lambda<Func<object, object?[], Task>>(Expression.Convert(call, typeof(Task)), grain, args).Compile();
    }

    private static Func<Task, object?> CompileResultReader(Type taskType)
    {
        var task = Expression.Parameter(typeof(Task), "task");
        var result = Expression.Property(Expression.Convert(task, taskType), "Result");
        return Expression.Lambda<Func<Task, object?>>(Expression.Convert(result, typeof(object)), task).Compile();
    }
}
