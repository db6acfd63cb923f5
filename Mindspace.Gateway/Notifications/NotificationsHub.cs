using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Mindspace.Gateway.Auth;

namespace Mindspace.Gateway.Notifications;

/// <summary>
/// Pushes the signed-in user's notifications as they happen (client method <c>notification</c>).
/// Connect with the access token (<c>access_token</c> query on WebSockets); pass
/// <c>lastSequence</c> to first receive everything after it. See docs/realtime.md.
/// </summary>
[Authorize(Policy = AuthPolicies.Member)]
public sealed class NotificationsHub(NotificationRelay relay) : Hub
{
    public const string Path = "/hubs/notifications";
    public const string NotificationMethod = "notification";
    public const string LastSequenceQuery = "lastSequence";

    public override async Task OnConnectedAsync()
    {
        var userId = Context.User!.GetUserId();
        var after = ConnectionStartingPoint.Of(Context.GetHttpContext());
        var raw = Context.GetHttpContext()?.Request.Query[LastSequenceQuery].ToString();
        if (!string.IsNullOrEmpty(raw))
        {
            if (!long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                throw new HubException($"{LastSequenceQuery} must be a whole number of zero or more.");
            }

            after = sequence;
        }

        await relay.ConnectAsync(Context.ConnectionId, userId, after, Context.ConnectionAborted);
        await base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        await relay.DisconnectAsync(Context.ConnectionId, Context.User!.GetUserId());
        await base.OnDisconnectedAsync(exception);
    }
}
