using Mindspace.Runtime.Messaging;

namespace Mindspace.Runtime.Cluster.Transport;

/// <summary>
/// Runs the grain calls that arrive from other silos (normally by handing them to the local
/// catalog, or answering <see cref="GrainResponse.NotOwner"/>). Calls of one connection arrive
/// concurrently; ordering the turns of one grain is the implementation's job.
/// </summary>
public interface IInboundCallHandler
{
    /// <summary>Runs one call and returns its outcome; an exception thrown here becomes a failed response.</summary>
    /// <param name="request">The call, exactly as the caller built it.</param>
    /// <param name="cancellationToken">Cancelled when the caller's connection closes: nobody waits for the answer any more.</param>
    Task<GrainResponse> HandleAsync(GrainRequest request, CancellationToken cancellationToken);
}
