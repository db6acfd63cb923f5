using Mindspace.Runtime.Activation;
using Mindspace.Runtime.Cluster.Membership;
using Mindspace.Runtime.Cluster.Transport;
using Mindspace.Runtime.Messaging;

namespace Mindspace.Runtime.Cluster.Routing;

/// <summary>
/// Where a call to a grain of this silo enters, from this process or over the transport: it runs
/// only if this silo serves the grain's partition now; otherwise the answer is "not owner" and the
/// call has not run.
/// </summary>
internal sealed class LocalCallDispatcher(PartitionGate gate, Catalog catalog) : IInboundCallHandler
{
    public async Task<GrainResponse> HandleAsync(GrainRequest request, CancellationToken cancellationToken)
    {
        var partition = Partitioning.Of(request.Target);
        if (!gate.TryEnter(partition, fromRunningGrain: request.CallChain.Count > 0))
        {
            return GrainResponse.NotOwner;
        }

        try
        {
            return await catalog.InvokeAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Exit(partition);
        }
    }
}
