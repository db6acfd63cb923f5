using Mindspace.Runtime.Cluster.Transport;
using Mindspace.Runtime.Messaging;

namespace Mindspace.Runtime.Cluster.Routing;

/// <summary>
/// Routes a grain call to the silo that holds its partition: this one (no network) or another over
/// the cluster transport. A call is sent again only when it certainly did not run — the silo said
/// "not owner", or the request never left this process — after refreshing the partition directory,
/// with a growing pause, until the call's deadline. Anything else is the caller's answer.
/// </summary>
internal sealed class ClusterGrainCallTransport(
    PartitionDirectory directory,
    LocalCallDispatcher local,
    SiloConnectionPool connections,
    ClusterOptions options) : IGrainCallTransport
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(200);

    public async Task<GrainResponse> SendAsync(GrainRequest request, CancellationToken cancellationToken)
    {
        var partition = Partitioning.Of(request.Target);
        var pause = FirstPause;
        while (true)
        {
            var owner = directory.OwnerOf(partition);
            if (owner is not null && await TrySendAsync(owner, request, cancellationToken).ConfigureAwait(false) is { } response)
            {
                return response;
            }

            if (DateTimeOffset.UtcNow + pause >= request.Deadline)
            {
                return GrainResponse.Failed(new CallNotSentException(
                    $"No silo served {request.Target} before the call's deadline; the call did not run."));
            }

            await directory.RefreshAsync().ConfigureAwait(false);
            if (directory.OwnerOf(partition) is { } refreshed && refreshed != owner)
            {
                continue;
            }

            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            pause = pause * 2 < LongestPause ? pause * 2 : LongestPause;
        }
    }

    /// <returns>The answer, or null when the call did not run and may be sent again.</returns>
    private async Task<GrainResponse?> TrySendAsync(SiloAddress owner, GrainRequest request, CancellationToken cancellationToken)
    {
        GrainResponse response;
        if (owner.SiloId == options.SiloId)
        {
            response = await local.HandleAsync(request, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            try
            {
                response = await connections.SendAsync(owner, request, cancellationToken).ConfigureAwait(false);
            }
            catch (CallNotSentException)
            {
                return null;
            }
        }

        return response.IsNotOwner ? null : response;
    }
}
