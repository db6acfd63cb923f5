using System.Reflection;

namespace Mindspace.Runtime.Messaging;

/// <summary>
/// Carries exceptions across the wire by type name and message, and recreates them on the
/// caller's side when the type is known and has a (string message) constructor.
/// </summary>
public static class ExceptionCodec
{
    public static ExceptionInfo Encode(Exception exception)
    {
        if (exception is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            exception = aggregate.InnerExceptions[0];
        }

        if (exception is TargetInvocationException { InnerException: { } inner })
        {
            exception = inner;
        }

        return new ExceptionInfo(exception.GetType().AssemblyQualifiedName ?? exception.GetType().FullName!, exception.Message);
    }

    public static Exception Decode(ExceptionInfo info)
    {
        var type = Type.GetType(info.Type, throwOnError: false);
        if (type is not null && typeof(Exception).IsAssignableFrom(type))
        {
            var constructor = type.GetConstructor([typeof(string)]);
            if (constructor is not null)
            {
                return (Exception)constructor.Invoke([info.Message]);
            }
        }

        return new GrainCallException(info.Message, info.Type);
    }
}
