using System.Reflection;
using Mindspace.Runtime.Activation;
using Mindspace.Runtime.Serialization;

namespace Mindspace.Runtime.Messaging;

/// <summary>
/// Makes grain references and turns their calls into requests on the transport: serializes
/// arguments, applies the deadline, and turns the response back into a result or an exception.
/// </summary>
public sealed class GrainClient(
    GrainTypeRegistry registry,
    GrainSerializer serializer,
    IGrainCallTransport transport,
    RuntimeOptions options) : IGrainFactory
{
    internal GrainTypeRegistry Registry => registry;

    public TGrainInterface GetGrain<TGrainInterface>(Guid key)
        where TGrainInterface : IGrainWithGuidKey
        => CreateReference<TGrainInterface>(new GrainId(GrainTypeRegistry.GrainTypeName(typeof(TGrainInterface)), key.ToString("D")));

    public TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : IGrainWithStringKey
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return CreateReference<TGrainInterface>(new GrainId(GrainTypeRegistry.GrainTypeName(typeof(TGrainInterface)), key));
    }

    public TGrainInterface GetGrain<TGrainInterface>(GrainId grainId)
        where TGrainInterface : IGrain
        => CreateReference<TGrainInterface>(grainId);

    internal async Task<object?> InvokeAsync(GrainId target, MethodDescriptor method, object?[] arguments)
    {
        var timeout = options.CallTimeout;
        var request = new GrainRequest(
            target,
            method.InterfaceType.FullName!,
            method.Key,
            serializer.SerializeArguments(method.WireArguments(arguments), method.WireParameterTypes),
            DateTimeOffset.UtcNow + timeout,
            RuntimeContext.OutgoingCallChain());

        GrainResponse response;
        try
        {
            response = await transport.SendAsync(request, CancellationToken.None).WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"Call to {method.InterfaceType.Name}.{method.Method.Name} on {target} did not complete within {timeout.TotalSeconds:0.###} s.");
        }

        if (response.Exception is { } exception)
        {
            throw ExceptionCodec.Decode(exception);
        }

        return method.ResultType is null || response.Result is null
            ? null
            : serializer.Deserialize(response.Result, method.ResultType);
    }

    private TGrainInterface CreateReference<TGrainInterface>(GrainId grainId)
    {
        registry.RegisterInterface(typeof(TGrainInterface));
        var proxy = DispatchProxy.Create<TGrainInterface, GrainReference>();
        ((GrainReference)(object)proxy!).Initialize(this, typeof(TGrainInterface), grainId);
        return proxy;
    }
}
