using Mindspace.Runtime.Activation;

namespace Mindspace.Runtime.Messaging;

/// <summary>Delivers every call to this process's catalog: the embedded, single-silo mode.</summary>
internal sealed class LocalGrainCallTransport(Catalog catalog) : IGrainCallTransport
{
    public Task<GrainResponse> SendAsync(GrainRequest request, CancellationToken cancellationToken)
        => catalog.InvokeAsync(request, cancellationToken);
}
