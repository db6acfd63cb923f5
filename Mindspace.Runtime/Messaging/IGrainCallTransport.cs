namespace Mindspace.Runtime.Messaging;

/// <summary>
/// Where a grain call goes after it leaves the reference. The single-silo transport hands it to the
/// local catalog; a cluster transport routes it to the silo that owns the grain's partition.
/// Grain code never sees the difference: arguments and results are in wire format either way.
/// </summary>
public interface IGrainCallTransport
{
    Task<GrainResponse> SendAsync(GrainRequest request, CancellationToken cancellationToken);
}
