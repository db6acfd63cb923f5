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

    /// <summary>Calls a method that returns <see cref="Task"/>.</summary>
    internal async Task InvokeAsync(GrainId target, MethodDescriptor method, object?[] arguments)
        => ThrowIfFailed(await SendAsync(target, method, arguments).ConfigureAwait(false));

    /// <summary>Calls a method that returns <see cref="Task{T}"/>: one state machine, no boxing of the result.</summary>
    internal async Task<T> InvokeAsync<T>(GrainId target, MethodDescriptor method, object?[] arguments)
    {
        var response = ThrowIfFailed(await SendAsync(target, method, arguments).ConfigureAwait(false));
        return response.Result is null ? default! : serializer.Deserialize<T>(response.Result);
    }

    private Task<GrainResponse> SendAsync(GrainId target, MethodDescriptor method, object?[] arguments)
    {
        var request = new GrainRequest(
            target,
            method.InterfaceName,
            method.Key,
            serializer.SerializeArguments(method.WireArguments(arguments), method.WireParameterTypes),
            DateTimeOffset.UtcNow + options.CallTimeout,
            RuntimeContext.OutgoingCallChain());

        // No timer per call: the silo's deadline sweep and the transport answer a call that runs past its deadline.
        return transport.SendAsync(request, CancellationToken.None);
    }

    private static GrainResponse ThrowIfFailed(GrainResponse response)
        => response.Exception is { } exception ? throw ExceptionCodec.Decode(exception) : response;

    private TGrainInterface CreateReference<TGrainInterface>(GrainId grainId)
    {
        registry.RegisterInterface(typeof(TGrainInterface));
        var proxy = DispatchProxy.Create<TGrainInterface, GrainReference>();
        ((GrainReference)(object)proxy!).Initialize(this, typeof(TGrainInterface), grainId);
        return proxy;
    }
}
