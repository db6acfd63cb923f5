using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Mindspace.Runtime.Cluster.Transport;

/// <summary>
/// The server side of the cluster transport, run by Kestrel for every connection on the internal
/// port (<see cref="ClusterTransportExtensions.UseClusterTransport"/>): authenticates the peer with
/// the handshake, then serves its requests concurrently through the <see cref="IInboundCallHandler"/>.
/// A peer that fails the handshake or sends an invalid frame loses its connection; nothing it sent
/// reaches the handler, and other connections are unaffected.
/// </summary>
public sealed class ClusterConnectionHandler : ConnectionHandler
{
    private readonly IInboundCallHandler _handler;
    private readonly ClusterTransportOptions _options;
    private readonly ILogger _logger;

    public ClusterConnectionHandler(IInboundCallHandler handler, ClusterTransportOptions options, ILogger<ClusterConnectionHandler> logger)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _handler = handler;
        _options = options;
        _logger = logger;
    }

    /// <summary>Serves one connection until it closes.</summary>
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var remote = connection.RemoteEndPoint?.ToString();
        var reader = new FrameReader(connection.Transport.Input, _options.MaxFrameBytes);
        try
        {
            if (!await HandshakeAsync(connection, reader, remote).ConfigureAwait(false))
            {
                return;
            }

            TransportLog.InboundAccepted(_logger, connection.ConnectionId, remote);
            await new InboundConnection(connection, reader, _handler, _options.MaxFrameBytes, _logger).RunAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (TransportErrors.IsConnectionFailure(exception))
        {
            TransportLog.InboundClosed(_logger, connection.ConnectionId, remote);
        }
        catch (Exception exception)
        {
            TransportLog.InboundFailed(_logger, exception, connection.ConnectionId, remote);
            connection.Abort();
        }
        finally
        {
            reader.Release();
        }
    }

    private async Task<bool> HandshakeAsync(ConnectionContext connection, FrameReader reader, string? remote)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        timeout.CancelAfter(_options.HandshakeTimeout);
        try
        {
            var (outcome, reason) = await HandshakeProtocol.AcceptAsync(reader, connection.Transport.Output, _options.Secret, timeout.Token)
                .ConfigureAwait(false);
            switch (outcome)
            {
                case HandshakeOutcome.Accepted:
                    return true;
                case HandshakeOutcome.Rejected:
                    TransportLog.InboundRejected(_logger, connection.ConnectionId, remote, reason);
                    return false;
                default:
                    TransportLog.InboundClosed(_logger, connection.ConnectionId, remote);
                    return false;
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !connection.ConnectionClosed.IsCancellationRequested)
        {
            TransportLog.InboundHandshakeTimedOut(_logger, connection.ConnectionId, remote);
            return false;
        }
    }
}
