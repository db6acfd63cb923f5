using Microsoft.AspNetCore.Http.Connections;
using Mindspace.Gateway.Auth;

namespace Mindspace.Gateway.Notifications;

/// <summary>
/// Where a notifications connection opened without <c>lastSequence</c> starts: the newest sequence in
/// the inbox when its connection request reached this gateway.
/// </summary>
/// <remarks>
/// SignalR answers the client's handshake before the hub's <c>OnConnectedAsync</c> runs, so the
/// client's <c>start()</c> resolves while the relay is still subscribing. Taking "now" there would
/// skip a notification created in between — one the client caused right after connecting. The
/// connection request (the WebSocket or Server-Sent Events request, a long poll) comes before the
/// handshake, so "now" is read there and carried to the hub in the request's items, which SignalR
/// keeps for the connection on every transport.
/// </remarks>
internal static class ConnectionStartingPoint
{
    private static readonly object ItemKey = new();

    /// <summary>Reads the starting point on each connection request of the hub (not on negotiate).</summary>
    public static HubEndpointConventionBuilder ReadOnConnectionRequest(this HubEndpointConventionBuilder hub)
    {
        hub.Add(endpoint =>
        {
            if (endpoint.Metadata.OfType<NegotiateMetadata>().Any() || endpoint.RequestDelegate is not { } next)
            {
                return;
            }

            endpoint.RequestDelegate = async context =>
            {
                // GET opens a WebSocket or an event stream, or polls; POST only carries a long-polling client's messages.
                if (HttpMethods.IsGet(context.Request.Method)
                    && !context.Request.Query.ContainsKey(NotificationsHub.LastSequenceQuery)
                    && context.User.TryGetUserId(out var userId)
                    && await context.RequestServices.GetRequiredService<NotificationRelay>().NewestSequenceAsync(userId) is { } newest)
                {
                    context.Items[ItemKey] = newest;
                }

                await next(context);
            };
        });
        return hub;
    }

    /// <summary>The starting point read for the connection's request, or null when none was (then the relay starts from when it subscribes).</summary>
    public static long? Of(HttpContext? connectionRequest)
        => connectionRequest?.Items.TryGetValue(ItemKey, out var newest) == true ? (long)newest! : null;
}
